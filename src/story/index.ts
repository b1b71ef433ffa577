/** What other domains may use of the story besides its types: our words in the reader's language. */
export { sectionSummaryIn, summaryIn, takeIn } from './translations.js';
