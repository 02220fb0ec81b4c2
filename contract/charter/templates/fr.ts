import { charterTemplateOf } from './template.js';

export const fr = charterTemplateOf(
  '(Insérer la vision et les objectifs de l’Alliance)',
  [
    'En tant que membre de l’Alliance des médiateurs communautaires migrants, je m’engage à participer aux ' +
      'réunions, à diffuser les informations et à soutenir les objectifs de l’Alliance.',
    '',
    'Je sais que l’Alliance s’engage à :',
  ],
  [
    '',
    'J’agirai en toutes circonstances dans le respect des autres membres de l’alliance ainsi que des principes de ' +
      'diversité et d’égalité.',
    'Je travaillerai avec les autres dans un esprit de débat positif et constructif.',
    'J’informerai les membres de l’Alliance de tout conflit d’intérêts potentiel et me retirerai des discussions si ' +
      'nécessaire.',
    'Je soutiendrai le principe d’une communication ouverte et honnête avec la communauté migrante, afin de permettre ' +
      'l’accès et la participation les plus larges possibles aux travaux de l’Alliance.',
    'Outre l’engagement de mon temps et de mes ressources humaines, j’utiliserai d’autres sources d’information ' +
      'lorsque cela sera utile et j’orienterai les membres vers des contacts et des ressources utiles.',
  ],
);
