import { useCallback, useEffect, useRef, useState } from 'react';
import { useApiClient } from '../api/api-context';
import type { TailMessage } from '../api/loki-types';
import { flattenStreams, type LogRow } from '../lib/log-rows';

export type TailStatus = 'connecting' | 'live' | 'closed' | 'error';

export interface LiveTail {
  rows: LogRow[];
  status: TailStatus;
  error: string | null;
  /** Lines received while paused, shown when resumed. */
  pending: number;
  dropped: number;
  clear(): void;
}

/** Lines kept in the view; older ones fall off the end. */
export const MAX_TAIL_ROWS = 5000;

/**
 * Streams new lines of a query from the tail WebSocket (/loki/api/v1/tail). While `paused`, lines keep
 * arriving into a buffer so nothing is lost; resuming shows them. Newest first.
 */
export function useLiveTail(query: string | null, paused: boolean): LiveTail {
  const client = useApiClient();
  const [rows, setRows] = useState<LogRow[]>([]);
  const [status, setStatus] = useState<TailStatus>('closed');
  const [error, setError] = useState<string | null>(null);
  const [dropped, setDropped] = useState(0);
  const buffer = useRef<LogRow[]>([]);
  const [pending, setPending] = useState(0);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;

  const flush = useCallback(() => {
    const incoming = buffer.current;
    buffer.current = [];
    setPending(0);
    if (incoming.length > 0) setRows((prev) => [...incoming, ...prev].slice(0, MAX_TAIL_ROWS));
  }, []);

  useEffect(() => {
    if (!paused) flush();
  }, [paused, flush]);

  useEffect(() => {
    if (!query) return;
    let batch = 0;
    let closedByUs = false;
    setRows([]);
    setDropped(0);
    setError(null);
    setStatus('connecting');
    buffer.current = [];
    setPending(0);
    let socket: WebSocket;
    try {
      socket = new WebSocket(client.tailUrl(query, Date.now()));
    } catch (err) {
      setStatus('error');
      setError((err as Error).message);
      return;
    }
    socket.onopen = () => setStatus('live');
    socket.onmessage = (event) => {
      let message: TailMessage;
      try {
        message = JSON.parse(String(event.data)) as TailMessage;
      } catch {
        return;
      }
      const fresh = flattenStreams(message.streams ?? [], 'backward', `t${batch++}:`);
      if (message.dropped_entries?.length) setDropped((n) => n + message.dropped_entries!.length);
      if (fresh.length === 0) return;
      buffer.current = [...fresh, ...buffer.current].slice(0, MAX_TAIL_ROWS);
      if (pausedRef.current) setPending(buffer.current.length);
      else flush();
    };
    socket.onerror = () => {
      setStatus('error');
      setError('The live tail connection failed: the server refused or dropped the WebSocket (is the query valid, and does this server support /loki/api/v1/tail?).');
    };
    socket.onclose = (event) => {
      if (closedByUs) return;
      setStatus((s) => (s === 'error' ? s : 'closed'));
      if (event.reason) setError(event.reason);
    };
    return () => {
      closedByUs = true;
      socket.close();
    };
  }, [client, query, flush]);

  return { rows, status, error, pending, dropped, clear: useCallback(() => setRows([]), []) };
}
