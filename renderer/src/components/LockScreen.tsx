/**
 * The locked screen (Ctrl+L): the open sale stays as it is, the operator stays signed in; his PIN
 * unlocks. A wrong PIN counts towards the lockout like at sign-in.
 */
import { useEffect, useRef, useState } from 'react';
import type { SessionDto } from '../../../main/api/contract';
import { errorText } from '../api/client';
import { useClient } from '../api/context';

export function LockScreen({ session }: { session: SessionDto }) {
  const client = useClient();
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const unlock = () => {
    client.call('unlockScreen', { pin }).then(
      () => setError(null),
      (e: unknown) => {
        setPin('');
        setError(errorText(e));
      },
    );
  };
  return (
    <div className="dialog locked" role="dialog" aria-label="屏幕已锁定" data-testid="lock-screen">
      <div className="dialog-body">
        <h2>屏幕已锁定</h2>
        <div>
          {session.operator?.roleText} {session.operator?.name} (工号 {session.operator?.code}) 已登录, 当前销售已保留.
        </div>
        <label>
          PIN{' '}
          <input
            ref={ref}
            type="password"
            inputMode="numeric"
            maxLength={12}
            value={pin}
            autoComplete="off"
            data-testid="unlock-pin"
            onChange={(e) => setPin(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                unlock();
              }
            }}
          />
        </label>
        <button type="button" data-testid="unlock-submit" onClick={unlock}>
          解锁 (Enter)
        </button>
        {error && (
          <div className="signin-error" role="alert" data-testid="unlock-error">
            {error}
          </div>
        )}
      </div>
    </div>
  );
}
