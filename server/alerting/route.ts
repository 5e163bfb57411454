import { formatMatchers, matchesAll, sortMatchers, type LabelMatcher } from './matcher.js';
import { pickLabels, type Labels } from './labels.js';

/** A node of the `route:` tree as configured: every option optional except on the root. */
export interface RouteConfig {
  receiver?: string;
  /** Label names, or 'all' for Alertmanager's `group_by: ['...']`. */
  groupBy?: string[] | 'all';
  groupWaitMs?: number;
  groupIntervalMs?: number;
  repeatIntervalMs?: number;
  matchers: LabelMatcher[];
  continue: boolean;
  routes: RouteConfig[];
}

export interface RouteOptions {
  receiver: string;
  groupBy: ReadonlySet<string> | 'all';
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
}

/** Alertmanager's DefaultRouteOpts: what the root route starts from. */
export const DEFAULT_ROUTE_OPTIONS: RouteOptions = {
  receiver: '',
  groupBy: new Set(),
  groupWaitMs: 30_000,
  groupIntervalMs: 5 * 60_000,
  repeatIntervalMs: 4 * 3600_000,
};

/**
 * A node of the routing tree, with its options resolved: a child inherits every option it does not
 * set from its parent (Alertmanager's NewRoute). Matching is Alertmanager's: depth-first, left to
 * right; a matching child stops the search among its siblings unless it has `continue`; a node none
 * of whose children match is itself the match.
 */
export class Route {
  readonly options: RouteOptions;
  readonly matchers: readonly LabelMatcher[];
  readonly continue: boolean;
  readonly routes: readonly Route[];
  /** Alertmanager's Route.Key(): the parent's key, "/", this node's sorted matchers. Part of the group key. */
  readonly key: string;
  /** Key plus the position among siblings: unique even when two siblings have equal matchers. */
  readonly id: string;

  constructor(config: RouteConfig, parent: Route | null = null, position: number | null = null) {
    const base = parent?.options ?? DEFAULT_ROUTE_OPTIONS;
    this.options = {
      receiver: config.receiver ?? base.receiver,
      groupBy: config.groupBy === undefined ? base.groupBy : config.groupBy === 'all' ? 'all' : new Set(config.groupBy),
      groupWaitMs: config.groupWaitMs ?? base.groupWaitMs,
      groupIntervalMs: config.groupIntervalMs ?? base.groupIntervalMs,
      repeatIntervalMs: config.repeatIntervalMs ?? base.repeatIntervalMs,
    };
    this.matchers = sortMatchers(config.matchers);
    this.continue = config.continue;
    this.key = (parent ? `${parent.key}/` : '') + formatMatchers(this.matchers);
    this.id = position === null ? this.key : `${this.key}/${position}`;
    this.routes = config.routes.map((child, i) => new Route(child, this, i));
  }

  /** The routes an alert with `labels` is sent to, in tree order. Empty when this node does not match. */
  match(labels: Labels): Route[] {
    if (!matchesAll(this.matchers, labels)) return [];
    const all: Route[] = [];
    for (const child of this.routes) {
      const matches = child.match(labels);
      all.push(...matches);
      if (matches.length > 0 && !child.continue) break;
    }
    return all.length > 0 ? all : [this];
  }

  /** The labels an alert is grouped by on this route. */
  groupLabels(labels: Labels): Record<string, string> {
    return this.options.groupBy === 'all' ? { ...labels } : pickLabels(labels, this.options.groupBy);
  }

  /** Every node, depth-first. */
  walk(visit: (route: Route) => void): void {
    visit(this);
    for (const child of this.routes) child.walk(visit);
  }
}
