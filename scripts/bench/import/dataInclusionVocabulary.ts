/**
 * The data·inclusion schema v1 (v1.0.8) values the synthetic extract draws from, copied from its enums
 * (`schemas/v1/service.json`, `structure.json`), and French words to build names, addresses and descriptions of
 * the lengths real extracts have. The generator's test validates what is built from them against the schema.
 */

/** Thematiques, by their theme (the part before `--`), with names services of that theme are given. */
export const themes: { subthemes: string[]; serviceNames: string[]; type: string[] }[] = [
  {
    subthemes: [
      'choisir-un-metier--confirmer-son-choix-de-metier',
      'choisir-un-metier--connaitre-les-opportunites-demploi',
      'choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite',
      'choisir-un-metier--identifier-ses-points-forts-et-ses-competences',
    ],
    serviceNames: ['Découverte des métiers', 'Bilan de compétences', 'Immersion en entreprise', 'Atelier orientation'],
    type: ['atelier', 'accompagnement', 'information'],
  },
  {
    subthemes: [
      'creer-une-entreprise--definir-son-projet-de-creation-dentreprise',
      'creer-une-entreprise--developper-son-entreprise',
      'creer-une-entreprise--structurer-son-projet-de-creation-dentreprise',
    ],
    serviceNames: ['Accompagnement à la création d’entreprise', 'Microcrédit professionnel', 'Couveuse d’activités'],
    type: ['accompagnement', 'aide-financiere', 'formation'],
  },
  {
    subthemes: [
      'difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives',
      'difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-a-la-citoyennete',
      'difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits',
      'difficultes-administratives-ou-juridiques--beneficier-dune-mesure-daccompagnement-adapte',
      'difficultes-administratives-ou-juridiques--connaitre-ses-droits-face-a-une-discrimination',
      'difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire',
    ],
    serviceNames: [
      'Permanence d’accès aux droits',
      'Accompagnement aux démarches administratives',
      'Aide aux démarches de titre de séjour',
      'Domiciliation administrative',
      'Permanence juridique gratuite',
      'Écrivain public',
    ],
    type: ['accompagnement', 'information'],
  },
  {
    subthemes: [
      'difficultes-financieres--acquerir-une-autonomie-budgetaire',
      'difficultes-financieres--ameliorer-sa-gestion-budgetaire',
      'difficultes-financieres--mettre-en-place-une-mesure-de-protection-financiere',
      'difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere',
      'difficultes-financieres--situation-dendettement-surendettement',
    ],
    serviceNames: ['Point conseil budget', 'Aide au dossier de surendettement', 'Atelier gestion du budget'],
    type: ['accompagnement', 'atelier', 'aide-financiere'],
  },
  {
    subthemes: [
      'equipement-et-alimentation--aide-menagere',
      'equipement-et-alimentation--alimentation',
      'equipement-et-alimentation--electromenager',
      'equipement-et-alimentation--habillement',
    ],
    serviceNames: ['Épicerie solidaire', 'Distribution alimentaire', 'Vestiaire solidaire', 'Colis alimentaires'],
    type: ['aide-materielle'],
  },
  {
    subthemes: [
      'famille--garde-denfants',
      'famille--prise-en-charge-personne-dependante',
      'famille--soutien-a-la-parentalite-et-a-leducation',
      'famille--soutien-aidants',
      'famille--surmonter-conflits-separation-violence',
    ],
    serviceNames: ['Lieu d’accueil enfants-parents', 'Soutien à la parentalité', 'Écoute des victimes de violences'],
    type: ['accompagnement', 'atelier', 'information'],
  },
  {
    subthemes: ['lecture-ecriture-calcul--maitriser-le-calcul', 'lecture-ecriture-calcul--maitriser-le-francais'],
    serviceNames: [
      'Cours de français langue étrangère',
      'Ateliers sociolinguistiques',
      'Cours d’alphabétisation',
      'Atelier de conversation en français',
      'Remise à niveau en calcul',
    ],
    type: ['formation', 'atelier'],
  },
  {
    subthemes: [
      'logement-hebergement--acheter-un-logement',
      'logement-hebergement--changer-de-logement',
      'logement-hebergement--louer-un-logement',
      'logement-hebergement--rechercher-une-solution-dhebergement-temporaire',
      'logement-hebergement--reduire-les-impayes-de-loyer',
      'logement-hebergement--se-maintenir-dans-le-logement',
      'logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-logement',
    ],
    serviceNames: [
      'Hébergement d’urgence',
      'Accueil de jour',
      'Aide à la recherche de logement',
      'Permanence logement',
      'Accompagnement vers et dans le logement',
    ],
    type: ['accompagnement', 'aide-materielle', 'information'],
  },
  {
    subthemes: [
      'mobilite--acceder-a-un-vehicule',
      'mobilite--entretenir-reparer-son-vehicule',
      'mobilite--etre-accompagne-dans-son-parcours-mobilite',
      'mobilite--financer-ma-mobilite',
      'mobilite--preparer-un-permis',
      'mobilite--mobilite-douce-partagee-collective',
    ],
    serviceNames: ['Auto-école sociale', 'Location solidaire de véhicules', 'Atelier vélo', 'Conseil en mobilité'],
    type: ['aide-materielle', 'formation', 'accompagnement'],
  },
  {
    subthemes: [
      'numerique--acceder-a-des-services-en-ligne',
      'numerique--acceder-a-une-connexion-internet',
      'numerique--acquerir-un-equipement',
      'numerique--maitriser-les-fondamentaux-du-numerique',
    ],
    serviceNames: [
      'Atelier numérique',
      'Accès libre à internet',
      'Aide aux démarches en ligne',
      'Ordinateurs solidaires',
    ],
    type: ['atelier', 'aide-materielle', 'accompagnement'],
  },
  {
    subthemes: [
      'preparer-sa-candidature--developper-son-reseau',
      'preparer-sa-candidature--organiser-ses-demarches-de-recherche-demploi',
      'preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation',
      'preparer-sa-candidature--valoriser-ses-competences',
    ],
    serviceNames: ['Atelier CV et lettre de motivation', 'Parrainage vers l’emploi', 'Club de recherche d’emploi'],
    type: ['atelier', 'accompagnement'],
  },
  {
    subthemes: [
      'remobilisation--activites-sportives-et-culturelles',
      'remobilisation--benevolat-action-citoyenne',
      'remobilisation--bien-etre-confiance-en-soi',
      'remobilisation--lien-social',
    ],
    serviceNames: ['Activités sportives solidaires', 'Sorties culturelles', 'Café solidaire', 'Jardin partagé'],
    type: ['atelier', 'information'],
  },
  {
    subthemes: [
      'sante--acces-aux-soins',
      'sante--addictions',
      'sante--constituer-un-dossier-mdph-invalidite',
      'sante--sante-mentale',
      'sante--sante-sexuelle',
    ],
    serviceNames: ['Permanence d’accès aux soins de santé', 'Consultation médicale gratuite', 'Écoute psychologique'],
    type: ['accompagnement', 'information'],
  },
  {
    subthemes: ['se-former--monter-son-dossier-de-formation', 'se-former--trouver-sa-formation'],
    serviceNames: ['Formation qualifiante', 'Aide au financement de formation', 'Préparation aux concours'],
    type: ['formation', 'accompagnement', 'aide-financiere'],
  },
  {
    subthemes: [
      'souvrir-a-linternational--connaitre-les-opportunites-demploi-a-letranger',
      'souvrir-a-linternational--sinformer-sur-les-aides-pour-travailler-a-letranger',
      'souvrir-a-linternational--sorganiser-suite-a-son-retour-en-france',
    ],
    serviceNames: ['Mobilité internationale des jeunes', 'Information travail à l’étranger'],
    type: ['information', 'accompagnement'],
  },
  {
    subthemes: [
      'trouver-un-emploi--convaincre-un-recruteur-en-entretien',
      'trouver-un-emploi--faire-des-candidatures-spontanees',
      'trouver-un-emploi--maintien-dans-lemploi',
      'trouver-un-emploi--repondre-a-des-offres-demploi',
      'trouver-un-emploi--suivre-ses-candidatures-et-relancer-les-employeurs',
    ],
    serviceNames: ['Chantier d’insertion', 'Accompagnement vers l’emploi', 'Job dating', 'Simulation d’entretien'],
    type: ['accompagnement', 'atelier', 'formation'],
  },
];

/** Publics other than `tous-publics`, which a service lists alone when it has none of these. */
export const publics = [
  'actifs',
  'beneficiaires-des-minimas-sociaux',
  'demandeurs-emploi',
  'etudiants',
  'familles',
  'femmes',
  'jeunes',
  'personnes-en-situation-de-handicap',
  'personnes-en-situation-durgence',
  'personnes-en-situation-juridique-specifique',
  'personnes-exilees',
  'residents-qpv-frr',
  'seniors',
];

export const modesMobilisation = ['envoyer-un-courriel', 'se-presenter', 'telephoner', 'utiliser-lien-mobilisation'];

/** Kinds of structure: how they are named, and the network (réseau porteur) that carries them, if any. */
export const structureKinds: { name: (town: string, word: string) => string; network: string | null }[] = [
  { name: (town) => `CCAS de ${town}`, network: 'ccas-cias' },
  { name: (_town, word) => `Centre social ${word}`, network: 'fcsf' },
  { name: (town) => `Mission Locale ${town}`, network: 'mission-locale' },
  { name: (town) => `France Services ${town}`, network: 'france-service' },
  { name: (town) => `Restos du Cœur – centre de ${town}`, network: 'restos-du-coeur' },
  { name: (town) => `Secours populaire – comité de ${town}`, network: 'secours-populaire' },
  { name: (town) => `Croix-Rouge française – unité locale de ${town}`, network: 'croix-rouge' },
  { name: (town) => `Maison des solidarités de ${town}`, network: 'maisons-des-solidarites' },
  { name: (town) => `Point Justice ${town}`, network: 'points-justice' },
  { name: (_town, word) => `Association ${word}`, network: null },
  { name: (town, word) => `Espace de vie sociale ${word} – ${town}`, network: null },
  { name: (town) => `Épicerie solidaire de ${town}`, network: null },
  { name: (_town, word) => `Atelier chantier d’insertion ${word}`, network: 'aci' },
  { name: (town) => `Médiathèque municipale de ${town}`, network: null },
];

/** Words for the names of associations and social centres. */
export const nameWords = [
  'Le Tournesol',
  'Les Aubiers',
  'du Grand Parc',
  'La Passerelle',
  'Solidarités Nouvelles',
  'Accueil et Partage',
  'Horizon Emploi',
  'Les Amis du Monde',
  'Terre d’Accueil',
  'Le Lien',
  'La Clé des Champs',
  'Escale Solidaire',
  'Au Fil des Mots',
  'Bienvenue Ensemble',
  'L’Étape',
  'Cap Insertion',
  'Entraide et Avenir',
  'Le Relais',
  'Ensemble pour Demain',
  'La Boussole',
];

export const streetKinds = ['rue', 'avenue', 'place', 'cours', 'allée', 'chemin', 'boulevard', 'impasse', 'quai'];
export const streetNames = [
  'de la République',
  'Jean Jaurès',
  'Victor Hugo',
  'du Général de Gaulle',
  'des Écoles',
  'de la Gare',
  'du Moulin',
  'Pasteur',
  'Gambetta',
  'Carnot',
  'des Lilas',
  'Émile Zola',
  'de l’Église',
  'du Stade',
  'de la Liberté',
  'Montesquieu',
  'François Mauriac',
  'des Vignes',
  'de la Libération',
  'du 8 Mai 1945',
];
export const addressComplements = ['Bâtiment B', '2e étage', 'Résidence Les Pins', 'Porte 3', 'Rez-de-chaussée'];

export const firstNames = ['Camille', 'Nadia', 'Julien', 'Fatou', 'Mehdi', 'Sophie', 'Thomas', 'Aïcha', 'Luc'];
export const lastNames = ['Martin', 'Diallo', 'Bernard', 'Nguyen', 'Lefebvre', 'Benali', 'Dubois', 'Moreau', 'Garcia'];

/** Opening hours in OpenStreetMap syntax, as producers write them. */
export const openingHours = [
  'Mo-Fr 09:00-12:00,14:00-17:30; PH off',
  'Mo-Fr 08:30-12:30; PH off',
  'Tu,Th 14:00-17:00',
  'Mo,We,Fr 09:00-12:00; Tu,Th 14:00-18:00; PH off',
  'Mo-Th 09:00-12:30,13:30-17:00; Fr 09:00-12:00; PH off',
  'We 14:00-17:00; Sa 10:00-12:00',
  'Mo-Fr 09:00-17:00; Aug off; PH off',
  'Mo-Su 00:00-24:00',
  'Mo-Sa 08:00-20:00; PH off',
  'Tu 09:30-11:30; Th 18:00-20:00',
];

/** What a structure's own opening hours are made of. */
export const openingDays = [
  'Mo-Fr',
  'Mo-Th',
  'Tu-Fr',
  'Mo,Tu,Th,Fr',
  'Mo,We,Fr',
  'Tu,Th',
  'Mo-We',
  'We-Fr',
  'Mo',
  'Th',
];
export const mornings = [
  '08:00-12:00',
  '08:30-12:00',
  '08:30-12:30',
  '09:00-12:00',
  '09:00-12:30',
  '09:30-12:00',
  '10:00-12:00',
  '09:00-11:30',
];
export const afternoons = [
  '13:00-16:00',
  '13:30-17:00',
  '13:30-17:30',
  '14:00-17:00',
  '14:00-17:30',
  '14:00-18:00',
  '14:00-16:30',
  '15:00-18:00',
];

/** Sentences of descriptions; `{name}` and `{town}` are replaced. */
export const descriptionSentences = [
  '{name} accueille toute personne qui en fait la demande, sans condition de ressources.',
  'L’équipe, composée de salariés et de bénévoles formés, reçoit sur rendez-vous ou lors des permanences.',
  'Un premier entretien permet de faire le point sur la situation et de construire un parcours adapté.',
  'Les ateliers ont lieu en petits groupes de huit à douze personnes, dans nos locaux de {town}.',
  'Des interprètes peuvent être mobilisés pour les personnes qui ne parlent pas encore français.',
  'L’accompagnement dure en moyenne trois mois et peut être renouvelé selon les besoins.',
  'Nous travaillons en lien avec les services sociaux du département, France Travail et les associations du territoire.',
  'Les personnes orientées par un travailleur social sont reçues en priorité.',
  'Une garderie est proposée aux parents pendant les ateliers du mercredi.',
  'Il est possible de venir sans rendez-vous le mardi matin.',
  'Pensez à apporter une pièce d’identité et, si possible, un justificatif de domicile.',
  'Le service est accessible aux personnes à mobilité réduite.',
  'Les inscriptions se font par téléphone, par courriel ou directement à l’accueil.',
  'Des sessions ont lieu tout au long de l’année ; la prochaine démarre début septembre.',
  'Les personnes exilées, demandeuses d’asile ou réfugiées sont les bienvenues, quel que soit leur statut.',
  'Un suivi individuel est assuré par un référent unique tout au long du parcours.',
  'Nous proposons aussi une aide pour remplir les dossiers administratifs en ligne.',
  'Les transports en commun desservent nos locaux : tram et bus s’arrêtent à deux minutes à pied.',
  'En dehors des horaires d’ouverture, un répondeur permet de laisser un message ; nous rappelons sous 48 heures.',
  'Les données personnelles recueillies restent confidentielles et ne sont jamais transmises sans accord.',
  'À {town}, {name} intervient aussi dans les quartiers prioritaires, au plus près des habitants.',
  'Le service est gratuit pour les bénéficiaires du RSA et les demandeurs d’emploi.',
  'Chaque participant repart avec un plan d’action personnalisé.',
  'Une attestation de participation est remise à la fin de la formation.',
];
