import { charterTemplateOf } from './template.js';

export const sv = charterTemplateOf(
  '(Infoga Alliansens vision och mål)',
  [
    'Som medlem i Alliansen för medlare i migrantsamhällen åtar jag mig att delta i möten, sprida information och ' +
      'stödja Alliansens mål.',
    '',
    'Jag är medveten om att Alliansen har åtagit sig att:',
  ],
  [
    '',
    'Jag kommer alltid att visa respekt för alliansens övriga medlemmar och respektera principerna om mångfald och ' +
      'jämlikhet.',
    'Jag kommer att samarbeta i en anda av positiv och konstruktiv diskussion.',
    'Jag kommer att informera Alliansens medlemmar om varje möjlig intressekonflikt och vid behov avstå från att ' +
      'delta i diskussionerna.',
    'Jag stöder principen om öppen och ärlig kommunikation med migrantsamhället för att ge så många som möjligt ' +
      'tillgång till och delaktighet i Alliansens arbete.',
    'Utöver att avsätta min tid och mina personella resurser kommer jag vid behov att använda andra ' +
      'informationskällor och hänvisa medlemmarna till användbara kontakter och resurser.',
  ],
);
