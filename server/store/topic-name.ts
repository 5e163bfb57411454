import { SluiceError } from '../errors.js';

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

/** Kafka's topic name rule. Checked before anything touches the disk. */
export function validateTopicName(name: string): void {
  if (!TOPIC_NAME.test(name) || name === '.' || name === '..') {
    throw new SluiceError('invalid_topic', `invalid topic name ${JSON.stringify(name.slice(0, 300))}: use 1-249 of [a-zA-Z0-9._-], not "." or ".."`);
  }
}
