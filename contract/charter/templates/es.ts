import { charterTemplateOf } from './template.js';

export const es = charterTemplateOf(
  '(Insertar la visión y los objetivos de la Alianza)',
  [
    'Como miembro de la Alianza de Mediadores Comunitarios Migrantes, me comprometo a asistir a las reuniones, ' +
      'difundir información y apoyar los objetivos de la Alianza.',
    '',
    'Soy consciente de que la Alianza se compromete a:',
  ],
  [
    '',
    'Actuaré en todo momento con respeto hacia los demás miembros de la alianza y respetaré los principios de ' +
      'diversidad e igualdad.',
    'Trabajaré en común con un espíritu de debate positivo y constructivo.',
    'Informaré a los miembros de la Alianza de cualquier posible conflicto de intereses y me retiraré de los debates ' +
      'si fuera necesario.',
    'Apoyaré el principio de una comunicación abierta y honesta con la comunidad migrante para permitir el acceso y ' +
      'la participación más amplios posibles en el trabajo de la Alianza.',
    'Además de dedicar mi tiempo y mis recursos humanos, recurriré a otras fuentes de información cuando proceda y ' +
      'orientaré a los miembros hacia contactos y recursos útiles.',
  ],
);
