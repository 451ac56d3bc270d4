/** What every capability's routes stand on: validation helpers, idempotency keys, problem+json answers. Its only door. */
export { purgeIdempotencyKeys } from './idempotency';
export { problemFor, problemFromError, requestLang, sendProblem } from './problem';
export {
  answerMutation,
  freeText,
  idempotencyHeaders,
  idParam,
  langQuery,
  limitQuery,
  type RouteDeps,
  runMutation,
} from './route-kit';
