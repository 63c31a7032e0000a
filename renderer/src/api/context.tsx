import { createContext, useContext, useEffect, useState } from 'react';
import type { EventName, EventPayload, PosClient } from '../../../main/api/contract';

export const ClientContext = createContext<PosClient | null>(null);

export function useClient(): PosClient {
  const c = useContext(ClientContext);
  if (!c) throw new Error('PosClient missing: wrap the screens in <ClientContext.Provider>');
  return c;
}

/** The latest payload of an event, starting from `initial` (fetched once). */
export function useEvent<E extends EventName>(event: E, load: () => Promise<EventPayload<E>>): { value: EventPayload<E> | null; error: string | null } {
  const client = useClient();
  const [value, setValue] = useState<EventPayload<E> | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const off = client.on(event, (p) => {
      if (live) {
        setValue(p);
        setError(null);
      }
    });
    load().then(
      (v) => live && setValue((cur) => cur ?? v),
      (e: unknown) => live && setError(e instanceof Error ? e.message : '读取失败'),
    );
    return () => {
      live = false;
      off();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, event]);
  return { value, error };
}
