/**
 * Sign-in with operator code and PIN: the counter's sign-in screen (nobody signed in), and the same form
 * as a dialog when F8 asks for a technician. On the built-in simulator the demo operators are listed,
 * marked 演示 (a click fills the form); in production with no operator yet, how to create the administrator.
 */
import { useEffect, useRef, useState } from 'react';
import type { SessionDto } from '../../../main/api/contract';
import { errorText } from '../api/client';
import { useClient } from '../api/context';

type Submit = (code: string, pin: string) => Promise<unknown>;

function PinForm({ submit, onCancel, testId }: { submit: Submit; onCancel?: () => void; testId: string }) {
  const [code, setCode] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const codeRef = useRef<HTMLInputElement>(null);
  useEffect(() => codeRef.current?.focus(), []);
  useEffect(() => {
    const fill = (e: Event) => {
      const d = (e as CustomEvent<{ code: string; pin: string }>).detail;
      setCode(d.code);
      setPin(d.pin);
    };
    window.addEventListener('pos-fill-operator', fill);
    return () => window.removeEventListener('pos-fill-operator', fill);
  }, []);
  const go = () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    submit(code.trim(), pin).then(
      () => setBusy(false),
      (e: unknown) => {
        setBusy(false);
        setPin('');
        setError(errorText(e));
      },
    );
  };
  const keys = (e: React.KeyboardEvent) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      go();
    } else if (e.key === 'Escape' && onCancel) {
      e.preventDefault();
      onCancel();
    }
  };
  return (
    <div className="signin-form" data-testid={testId}>
      <label>
        工号 <input ref={codeRef} value={code} maxLength={20} autoComplete="off" data-testid={`${testId}-code`} onChange={(e) => setCode(e.target.value)} onKeyDown={keys} />
      </label>
      <label>
        PIN <input type="password" inputMode="numeric" maxLength={12} value={pin} autoComplete="off" data-testid={`${testId}-pin`} onChange={(e) => setPin(e.target.value)} onKeyDown={keys} />
      </label>
      <div className="row">
        <button type="button" disabled={busy} data-testid={`${testId}-submit`} onClick={go}>
          登录 (Enter)
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            取消 (Esc)
          </button>
        )}
      </div>
      {error && (
        <div className="signin-error" role="alert" data-testid={`${testId}-error`}>
          {error}
        </div>
      )}
    </div>
  );
}

function DemoOperators({ session }: { session: SessionDto }) {
  if (session.demoOperators.length === 0) return null;
  const fill = (code: string, pin: string) => window.dispatchEvent(new CustomEvent('pos-fill-operator', { detail: { code, pin } }));
  return (
    <div className="demo-operators" data-testid="demo-operators">
      <div>
        <span className="pill warn">演示</span> 内置模拟平台的演示操作员 (点击填入):
      </div>
      <ul>
        {session.demoOperators.map((o) => (
          <li key={o.code}>
            <button type="button" className="linkish" onClick={() => fill(o.code, o.pin)}>
              {o.roleText} {o.name}: 工号 {o.code}, PIN {o.pin}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The counter's sign-in screen: shown while nobody is signed in. */
export function SignInScreen({ session }: { session: SessionDto }) {
  const client = useClient();
  return (
    <div className="signin" data-testid="signin-screen">
      <div className="dialog-body">
        <h2>操作员登录</h2>
        {session.setupHint && (
          <div className="banner warn" data-testid="setup-hint">
            {session.setupHint}
          </div>
        )}
        <PinForm testId="signin" submit={(code, pin) => client.call('operatorSignIn', { code, pin })} />
        <DemoOperators session={session} />
      </div>
    </div>
  );
}

/** F8 for a cashier: a technician signs in for the technician screen and its actions. */
export function TechnicianPrompt({ session, onDone, onCancel }: { session: SessionDto; onDone(): void; onCancel(): void }) {
  const client = useClient();
  return (
    <div className="dialog" role="dialog" aria-label="运维登录" data-testid="tech-prompt">
      <div className="dialog-body">
        <b>运维操作需要运维人员登录</b>
        <div className="muted">收银员不能进行导出/导入、处理异常、同步、离线切换、设备配置和对账. 请运维人员输入工号和 PIN.</div>
        <PinForm testId="tech-signin" onCancel={onCancel} submit={(code, pin) => client.call('technicianSignIn', { code, pin }).then(onDone)} />
        <DemoOperators session={{ ...session, demoOperators: session.demoOperators.filter((o) => o.role !== 'cashier') }} />
      </div>
    </div>
  );
}
