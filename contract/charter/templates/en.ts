import { charterTemplateOf } from './template.js';

/** The guide's sample charter of commitment, as the guide writes it. */
export const en = charterTemplateOf(
  '(Insert the visions/goals of the Alliance)',
  [
    'As a member of the Alliance Migrant Community Mediators, I am committed to attending meetings, disseminating ' +
      'information and supporting the goals of the Alliance.',
    '',
    'I am aware that the Alliance is committed to:',
  ],
  [
    '',
    'I will at all times act with respect for the other members of the alliance and respect the principles of ' +
      'diversity and equality.',
    'I will work together in a spirit of positive and constructive debate.',
    'I will inform Alliance members of any potential conflict of interest and withdraw from discussions if necessary.',
    'I will support the principle of open and honest communication with the migrant community in order to allow the ' +
      'widest possible access and participation in the work of the Alliance.',
    'In addition to committing my time and human resources, I will use other sources of information as appropriate, ' +
      'and point members to useful connections and resources.',
  ],
);
