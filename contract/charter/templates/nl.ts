import { charterTemplateOf } from './template.js';

export const nl = charterTemplateOf(
  '(Vul hier de visie en doelen van de Alliantie in)',
  [
    'Als lid van de Alliantie van migrantengemeenschapsbemiddelaars verbind ik mij ertoe vergaderingen bij te ' +
      'wonen, informatie te verspreiden en de doelen van de Alliantie te steunen.',
    '',
    'Ik ben mij ervan bewust dat de Alliantie zich inzet voor:',
  ],
  [
    '',
    'Ik zal te allen tijde respectvol handelen tegenover de andere leden van de alliantie en de beginselen van ' +
      'diversiteit en gelijkheid respecteren.',
    'Ik zal samenwerken in een geest van positief en constructief overleg.',
    'Ik zal de leden van de Alliantie op de hoogte brengen van elk mogelijk belangenconflict en mij zo nodig uit ' +
      'het overleg terugtrekken.',
    'Ik steun het beginsel van open en eerlijke communicatie met de migrantengemeenschap, zodat zo veel mogelijk ' +
      'mensen toegang hebben tot het werk van de Alliantie en eraan kunnen deelnemen.',
    'Naast het inzetten van mijn tijd en personele middelen zal ik waar nodig andere informatiebronnen gebruiken ' +
      'en de leden wijzen op nuttige contacten en middelen.',
  ],
);
