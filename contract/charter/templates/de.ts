import { charterTemplateOf } from './template.js';

export const de = charterTemplateOf(
  '(Vision und Ziele der Allianz hier einfügen)',
  [
    'Als Mitglied der Allianz der Mediatorinnen und Mediatoren migrantischer Gemeinschaften verpflichte ich mich, an ' +
      'den Treffen teilzunehmen, Informationen weiterzugeben und die Ziele der Allianz zu unterstützen.',
    '',
    'Mir ist bewusst, dass sich die Allianz für Folgendes einsetzt:',
  ],
  [
    '',
    'Ich werde den anderen Mitgliedern der Allianz jederzeit mit Respekt begegnen und die Grundsätze der Vielfalt ' +
      'und der Gleichberechtigung achten.',
    'Ich werde im Geist einer positiven und konstruktiven Auseinandersetzung mitarbeiten.',
    'Ich werde die Mitglieder der Allianz über jeden möglichen Interessenkonflikt informieren und mich ' +
      'erforderlichenfalls aus den Beratungen zurückziehen.',
    'Ich unterstütze den Grundsatz einer offenen und ehrlichen Kommunikation mit der migrantischen Gemeinschaft, um ' +
      'einen möglichst breiten Zugang zur Arbeit der Allianz und eine möglichst breite Beteiligung daran zu ermöglichen.',
    'Neben meiner Zeit und meinen personellen Ressourcen werde ich gegebenenfalls weitere Informationsquellen nutzen ' +
      'und die Mitglieder auf hilfreiche Kontakte und Ressourcen hinweisen.',
  ],
);
