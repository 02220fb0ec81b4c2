/** Where the alliance's own vision goes in the charter template. */
export const charterVisionPlaceholder = '(Insert the visions/goals of the Alliance)';

/**
 * The guide's sample charter of commitment, which an alliance can start from and then adapt. Each signatory's
 * name, date, organisation and preferred contact are recorded as a signature, not in this text.
 */
export const charterTemplate = [
  'As a member of the Alliance Migrant Community Mediators, I am committed to attending meetings, disseminating ' +
    'information and supporting the goals of the Alliance.',
  '',
  'I am aware that the Alliance is committed to:',
  charterVisionPlaceholder,
  '',
  'I will at all times act with respect for the other members of the alliance and respect the principles of ' +
    'diversity and equality.',
  'I will work together in a spirit of positive and constructive debate.',
  'I will inform Alliance members of any potential conflict of interest and withdraw from discussions if necessary.',
  'I will support the principle of open and honest communication with the migrant community in order to allow the ' +
    'widest possible access and participation in the work of the Alliance.',
  'In addition to committing my time and human resources, I will use other sources of information as appropriate, ' +
    'and point members to useful connections and resources.',
].join('\n');
