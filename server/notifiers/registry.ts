import type { Clock } from '../clock.js';
import type { AddressGuard } from './address-guard.js';
import { EmailNotifier, type EmailNotifierConfig } from './email-notifier.js';
import type { Notifier } from './notifier.js';
import { WebhookNotifier, type WebhookNotifierConfig } from './webhook-notifier.js';

/** Every integration kind a receiver can hold, with its config type. Adding a notifier starts here. */
export interface IntegrationConfigs {
  email: EmailNotifierConfig[];
  webhook: WebhookNotifierConfig[];
}

/** A receiver: a name and its integrations (Alertmanager's email_configs, webhook_configs, ...). */
export type ReceiverConfig = { name: string } & IntegrationConfigs;

export interface NotifierDeps {
  clock: Clock;
  guard: AddressGuard;
}

type Factories = { [K in keyof IntegrationConfigs]: (config: IntegrationConfigs[K][number], deps: NotifierDeps) => Notifier };

/** The explicit registry: integration kind → constructor. */
const FACTORIES: Factories = {
  email: (config) => new EmailNotifier(config),
  webhook: (config, deps) => new WebhookNotifier(config, deps),
};

export const INTEGRATION_KINDS = Object.keys(FACTORIES) as Array<keyof IntegrationConfigs>;

/** One configured integration of one receiver; `key` (`webhook[0]`) names it in the outbox and the delivery log. */
export interface Integration {
  receiver: string;
  key: string;
  notifier: Notifier;
}

/** All integrations of all receivers, built once from config. */
export class IntegrationSet {
  private readonly byReceiver = new Map<string, Integration[]>();

  constructor(receivers: readonly ReceiverConfig[], deps: NotifierDeps) {
    for (const receiver of receivers) {
      const list: Integration[] = [];
      for (const kind of INTEGRATION_KINDS) {
        const create = FACTORIES[kind] as (config: unknown, deps: NotifierDeps) => Notifier;
        receiver[kind].forEach((config, index) => list.push({ receiver: receiver.name, key: `${kind}[${index}]`, notifier: create(config, deps) }));
      }
      this.byReceiver.set(receiver.name, list);
    }
  }

  forReceiver(name: string): readonly Integration[] {
    return this.byReceiver.get(name) ?? [];
  }

  find(receiver: string, key: string): Integration | undefined {
    return this.forReceiver(receiver).find((i) => i.key === key);
  }

  close(): void {
    for (const list of this.byReceiver.values()) for (const i of list) i.notifier.close?.();
  }
}
