/** The notifier: an outbox written with the decision, a dispatcher, pluggable channels. Its only door. */
export {
  ChannelFailure,
  type DeliveryOutcome,
  type DrainResult,
  type NotificationChannel,
  NotificationDispatcher,
  type OutgoingMessage,
  onNotificationSettled,
  timelineChannel,
} from './dispatcher';
export {
  afterFailure,
  type ChannelName,
  channelFor,
  composeMessage,
  MAX_TRIES,
  type MessageFacts,
  NOTIFICATION_KINDS,
  NOTIFICATION_LIFECYCLE,
  type NotificationKind,
  PUBLIC_URL,
  RETRY_DELAYS_MS,
} from './model';
export { enqueueNotification, type NotificationView, notificationsOfCase } from './outbox';
export { type SmtpOptions, smtpChannel, smtpOptionsFromEnv } from './smtp';
