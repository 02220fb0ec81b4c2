import { Type } from 'typebox';
import { Nullable } from '../commonSchemas.js';

export const ExportParams = Type.Object({
  slug: Type.String({ minLength: 1, maxLength: 100, description: 'Alliance slug (e.g. "bordeaux").' }),
});

export const ServicesCsvQuery = Type.Object({
  separator: Type.Optional(
    Type.Enum(['comma', 'semicolon'], {
      default: 'comma',
      description:
        'What separates the fields: "semicolon" for spreadsheets set up for French and other languages that write decimals with a comma.',
    }),
  ),
});

const Text = Nullable(Type.String());
const Number_ = Nullable(Type.Number());
const Texts = Nullable(Type.Array(Type.String()));
const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD' });

/**
 * A structure of data·inclusion's schema v1 (https://github.com/gip-inclusion/data-inclusion-schema), as Passerelle
 * fills it; the schema itself is the reference for each field's values.
 */
export const DataInclusionStructure = Type.Object(
  {
    source: Type.String(),
    id: Type.String(),
    nom: Type.String(),
    date_maj: Day,
    siret: Text,
    description: Text,
    adresse: Text,
    complement_adresse: Text,
    commune: Text,
    code_postal: Text,
    code_insee: Text,
    longitude: Number_,
    latitude: Number_,
    telephone: Text,
    courriel: Text,
    site_web: Text,
    lien_source: Text,
    horaires_accueil: Text,
    accessibilite_lieu: Text,
    reseaux_porteurs: Texts,
  },
  { description: 'A data·inclusion v1 structure: one of the alliance’s organisations.' },
);

/** A service of data·inclusion's schema v1. */
export const DataInclusionService = Type.Object(
  {
    source: Type.String(),
    id: Type.String(),
    structure_id: Type.String(),
    nom: Type.String(),
    description: Type.String(),
    date_maj: Day,
    type: Text,
    thematiques: Texts,
    frais: Nullable(Type.Enum(['gratuit', 'payant'])),
    frais_precisions: Text,
    publics: Texts,
    publics_precisions: Text,
    conditions_acces: Text,
    adresse: Text,
    complement_adresse: Text,
    commune: Text,
    code_postal: Text,
    code_insee: Text,
    longitude: Number_,
    latitude: Number_,
    telephone: Text,
    courriel: Text,
    contact_nom_prenom: Text,
    horaires_accueil: Text,
    modes_accueil: Texts,
    zone_eligibilite: Texts,
    lien_mobilisation: Text,
    modes_mobilisation: Texts,
    mobilisable_par: Texts,
    mobilisation_precisions: Text,
    lien_source: Text,
    nombre_semaines: Nullable(Type.Integer()),
    volume_horaire_hebdomadaire: Number_,
  },
  { description: 'A data·inclusion v1 service: one of the alliance’s active services, at one of its places.' },
);

export const DataInclusionFile = Type.Object({
  structures: Type.Array(DataInclusionStructure),
  services: Type.Array(DataInclusionService),
});
