/** The sales journal (销售流水): past sales found by what the customer brings. Its only door. */
export { journalRoutes } from './routes';
export { type JournalPage, type JournalQuery, searchJournal } from './search';
