// pino-roll ships no types; the part of its API this project uses.
declare module 'pino-roll' {
  import type SonicBoom from 'sonic-boom';
  interface PinoRollOptions {
    file: string;
    size?: string | number;
    frequency?: 'daily' | 'hourly' | number;
    extension?: string;
    limit?: { count?: number; removeOtherLogFiles?: boolean };
    symlink?: boolean;
    dateFormat?: string;
    mkdir?: boolean;
    sync?: boolean;
  }
  export default function roll(options: PinoRollOptions): Promise<SonicBoom>;
}
