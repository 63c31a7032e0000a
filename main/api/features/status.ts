/** The status bar's current state (the screens also receive it as the `status` event when it changes). */
import type { Feature } from '../feature';

export const statusHandlers: Feature<'getStatus'> = ({ status }) => ({
  getStatus: async () => status.current(),
});
