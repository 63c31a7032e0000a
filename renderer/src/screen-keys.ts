/**
 * The current screen's key handler: the window-level listener (App) calls it for the keys it does not
 * take itself. Its own module, so that App and the screens both import it without importing each other.
 */
import { createContext, useContext, useEffect, useRef } from 'react';

export type KeyHandler = (e: KeyboardEvent, inField: boolean) => void;

export const ScreenKeys = createContext<{ current: KeyHandler | null }>({ current: null });

/** A screen's keys: called for keys the window-level listener does not take itself. */
export function useScreenKeys(handler: KeyHandler): void {
  const slot = useContext(ScreenKeys);
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    const h: KeyHandler = (e, f) => ref.current(e, f);
    slot.current = h;
    return () => {
      if (slot.current === h) slot.current = null;
    };
  }, [slot]);
}
