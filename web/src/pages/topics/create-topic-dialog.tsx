import { useState, type FormEvent } from 'react';
import type { CreateTopicRequest } from '../../api/store-types';
import { Dialog } from '../../components/dialog';
import { ErrorState } from '../../components/states';
import { useAction } from '../../hooks/use-action';

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
const HOUR_MS = 3_600_000;

/** Create a topic: name, partitions, retention (hours, or forever; bytes optional). */
export function CreateTopicDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (name: string) => void }) {
  const [name, setName] = useState('');
  const [partitions, setPartitions] = useState('1');
  const [retentionHours, setRetentionHours] = useState('');
  const [retentionMb, setRetentionMb] = useState('');
  const create = useAction((c, request: CreateTopicRequest) => c.createTopic(request));
  const nameOk = TOPIC_NAME.test(name) && name !== '.' && name !== '..';
  const count = Number(partitions);
  const countOk = Number.isInteger(count) && count >= 1 && count <= 10_000;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!nameOk || !countOk) return;
    const request: CreateTopicRequest = { name, partitions: count };
    if (retentionHours.trim() === '0') request.retentionMs = null;
    else if (retentionHours.trim() !== '') request.retentionMs = Math.round(Number(retentionHours) * HOUR_MS);
    if (retentionMb.trim() !== '') request.retentionBytes = Math.round(Number(retentionMb) * 1024 * 1024);
    if (await create.run(request)) onCreated(name);
  };

  return (
    <Dialog title="Create topic" onClose={onClose}>
      <form onSubmit={submit} style={{ display: 'flex', flexDirection: 'column', gap: 10 }}>
        <label className="field">
          Name
          <input className={`input${name && !nameOk ? ' invalid' : ''}`} value={name} onChange={(e) => setName(e.target.value)} placeholder="app.events" />
          {name && !nameOk && <span style={{ color: 'var(--danger)' }}>Letters, digits, ".", "_" and "-" only (1–249).</span>}
        </label>
        <label className="field">
          Partitions
          <input className={`input${countOk ? '' : ' invalid'}`} type="number" min={1} max={10000} value={partitions} onChange={(e) => setPartitions(e.target.value)} />
        </label>
        <div className="row">
          <label className="field" style={{ flex: 1 }}>
            Retention (hours; 0 = forever; empty = server default)
            <input className="input" type="number" min={0} step="any" value={retentionHours} onChange={(e) => setRetentionHours(e.target.value)} />
          </label>
          <label className="field" style={{ flex: 1 }}>
            Retention size per partition (MiB; optional)
            <input className="input" type="number" min={1} step="any" value={retentionMb} onChange={(e) => setRetentionMb(e.target.value)} />
          </label>
        </div>
        {create.error && <ErrorState error={create.error} what="the topic" />}
        <div className="row">
          <div className="spacer" />
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn primary" disabled={!nameOk || !countOk || create.pending}>
            {create.pending ? 'Creating…' : 'Create'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
