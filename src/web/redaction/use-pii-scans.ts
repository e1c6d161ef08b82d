// Scans of images for personal data, one per attachment, kept while the composer or the
// thread is open: started automatically for screenshots or by "Detect personal data", and
// cancelled when their owner goes away.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { PiiScanResponse } from '../../shared/redaction-api.js';
import { ApiError } from '../api/http.js';
import { scanForPersonalData } from './redaction-client.js';

export type ScanState =
  | { status: 'scanning' }
  | { status: 'done'; result: PiiScanResponse }
  | { status: 'failed'; message: string | null };

export interface PiiScans {
  get(attachmentId: string): ScanState | undefined;
  /** Starts a scan unless one is under way or done (a failed one starts again). */
  start(attachmentId: string): void;
}

export function usePiiScans(): PiiScans {
  const [scans, setScans] = useState<ReadonlyMap<string, ScanState>>(new Map());
  const scansRef = useRef(scans);
  scansRef.current = scans;
  const controllers = useRef(new Map<string, AbortController>());

  const set = useCallback((id: string, state: ScanState) => {
    setScans((current) => new Map(current).set(id, state));
  }, []);

  const start = useCallback(
    (attachmentId: string) => {
      const current = scansRef.current.get(attachmentId);
      if (current && current.status !== 'failed') return;
      const controller = new AbortController();
      controllers.current.set(attachmentId, controller);
      scansRef.current = new Map(scansRef.current).set(attachmentId, { status: 'scanning' });
      set(attachmentId, { status: 'scanning' });
      scanForPersonalData(attachmentId, { signal: controller.signal })
        .then((result) => set(attachmentId, { status: 'done', result }))
        .catch((failure: unknown) => {
          if (failure instanceof ApiError && failure.code === 'aborted') return;
          set(attachmentId, {
            status: 'failed',
            message:
              failure instanceof ApiError && failure.status > 0 && failure.status < 500
                ? failure.message
                : null,
          });
        })
        .finally(() => controllers.current.delete(attachmentId));
    },
    [set],
  );

  useEffect(
    () => () => {
      for (const controller of controllers.current.values()) controller.abort();
    },
    [],
  );

  const get = useCallback((attachmentId: string) => scans.get(attachmentId), [scans]);
  return { get, start };
}
