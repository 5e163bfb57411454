import type { Labels } from '../api/loki-types';
import { InertText } from './inert-text';

/** Label pairs as chips; values are untrusted text. */
export function LabelChips({ labels, omit = [] }: { labels: Labels; omit?: string[] }) {
  return (
    <>
      {Object.entries(labels)
        .filter(([name]) => !omit.includes(name))
        .map(([name, value]) => (
          <span className="label-chip" key={name} title={`${name}=${value}`}>
            <span className="name">
              <InertText text={name} links={false} />=
            </span>
            <InertText text={value} links={false} />
          </span>
        ))}
    </>
  );
}

