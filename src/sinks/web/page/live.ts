/**
 * Live updates: the server sends a `ledger` event on `/api/v1/events` when new usage is recorded;
 * the current view then fetches its data again (no reload). Bursts are coalesced.
 */
export function followLedger(onChange: () => void, onState: (state: 'live' | 'offline') => void): () => void {
  if (typeof EventSource === 'undefined') return () => {};
  const source = new EventSource('/api/v1/events');
  let timer: ReturnType<typeof setTimeout> | undefined;
  source.addEventListener('open', () => onState('live'));
  source.addEventListener('error', () => onState('offline'));
  source.addEventListener('ledger', () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, 150);
  });
  return () => {
    clearTimeout(timer);
    source.close();
  };
}
