import type { SwotQuadrant } from '../../db/schema.js';

export const swotQuadrants: readonly SwotQuadrant[] = ['strengths', 'weaknesses', 'opportunities', 'threats'];

/**
 * The guide's SWOT template, quadrant by quadrant: strengths and weaknesses are internal facts, opportunities and
 * threats external ones. Shown as help text beside each quadrant; the pages translate a question by its quadrant and
 * position (`plan.swot.prompts.<quadrant>.<n>` in web/src/plan/messages/), so a change here changes those too.
 */
export const swotPrompts: Record<SwotQuadrant, string[]> = {
  strengths: [
    'What are the benefits of your community?',
    'What do you do better than the others?',
    'What are your strengths in the eyes of the people?',
    'What is unique about your community?',
  ],
  weaknesses: [
    'What could you improve?',
    'What should you avoid?',
    'What limits your community?',
    'What are the weaknesses and challenges that people see as yours?',
  ],
  opportunities: [
    'What are the good opportunities you can spot?',
    'Who could you collaborate with?',
    'How can you use the interests of your stakeholders?',
    'How can you improve the community by looking outward?',
  ],
  threats: [
    'What obstacles do you face?',
    'Do you have funding?',
    'Do changes in policy and legislation have an impact on your community?',
    'What are other groups/communities already doing?',
    'Is the community changing?',
  ],
};
