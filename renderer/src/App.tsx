import { useCallback, useEffect, useRef, useState } from 'react';
import type { StatusDto } from '../../main/api/contract';
import { errorText } from './api/client';
import { useClient, useEvent } from './api/context';
import { StatusBar } from './components/StatusBar';
import { SimPanel } from './components/SimPanel';
import { useKeyboard } from './keyboard';
import { scanCapture } from './scan-capture';
import { ScreenKeys, type KeyHandler } from './screen-keys';
import { CashierScreen } from './screens/Cashier';
import { DeskScreen, type DeskForm } from './screens/Desk';
import { FindScreen } from './screens/Find';
import { FindVisitsScreen } from './screens/FindVisits';
import { TechnicianScreen } from './screens/Technician';
import { SignInScreen, TechnicianPrompt } from './screens/SignIn';
import { LockScreen } from './components/LockScreen';

export type Tab = 'cashier' | 'desk' | 'find' | 'visits' | 'tech';

export function App() {
  const client = useClient();
  const [tab, setTab] = useState<Tab>('cashier');
  const [role, setRole] = useState<'cashier' | 'tech'>('cashier');
  const [scanLog, setScanLog] = useState<string[]>([]);
  const [appError, setAppError] = useState<string | null>(null);
  const [lookup, setLookup] = useState<string | null>(null);
  const screenKeys = useRef<KeyHandler | null>(null);
  const status = useEvent('status', () => client.call('getStatus', {}));
  // counter.kind: a pharmacy counter, a hospital billing desk (门诊收费处), or both.
  const [kind, setKind] = useState<'pharmacy' | 'desk' | 'both'>('pharmacy');
  const deskScan = useRef<((code: string) => void) | null>(null);
  useEffect(() => {
    client.call('deskInfo', {}).then((i) => {
      setKind(i.kind);
      if (i.kind === 'desk') setTab('desk');
    }, () => undefined);
  }, [client]);
  const home: Tab = kind === 'desk' ? 'desk' : 'cashier';
  // 查询 follows the station: a past sale from the counter, a past visit (门诊查询) from the desk.
  const deskSide = kind === 'desk' || (kind === 'both' && (tab === 'desk' || tab === 'visits'));
  const findTab: Tab = deskSide ? 'visits' : 'find';
  /** A visit picked in 门诊查询, for the desk to show (then forgotten: F5 later opens an empty desk). */
  const [deskVisit, setDeskVisit] = useState<number | null>(null);
  const deskVisitShown = useCallback(() => setDeskVisit(null), []);
  const session = useEvent('session', () => client.call('getSession', {})).value;
  const [askTechnician, setAskTechnician] = useState(false);
  const signedIn = session?.operator != null && !session.locked;
  const hadTechnician = useRef(false);
  // The station the card reader and the serial/HID scanners read for, told to the main process (which
  // routes every read to that one only): the counter or the desk, whichever was shown last; the desk
  // takes a patient only while its open form is on the screen (deskForm: its department and doctor).
  const [deskForm, setDeskForm] = useState<DeskForm | null>(null);
  const [deskReady, setDeskReady] = useState(false);
  const lastStation = useRef<'counter' | 'desk'>('counter');
  const stationCalls = useRef<Promise<unknown>>(Promise.resolve());
  useEffect(() => {
    if (!signedIn || kind === 'pharmacy') return;
    if (tab === 'desk' || kind === 'desk') lastStation.current = 'desk';
    else if (tab === 'cashier') lastStation.current = 'counter';
    const args = lastStation.current === 'desk' ? { station: 'desk' as const, deskForm: tab === 'desk' ? deskForm : null } : { station: 'counter' as const };
    // One after the other, so the last word the main process hears is the screen's last.
    stationCalls.current = stationCalls.current
      .then(() => client.call('setStation', args))
      .then((r) => setDeskReady(r.deskWaiting), (e: unknown) => setAppError(errorText(e)));
  }, [client, signedIn, kind, tab, deskForm]);
  // A card or 医保码 read for the desk while another screen (门诊查询, 运维) covers it: the desk cannot show
  // its answer, so the reason is said here, with what to do.
  const [coveredRead, setCoveredRead] = useState<string | null>(null);
  const tabNow = useRef(tab);
  tabNow.current = tab;
  useEffect(
    () =>
      client.on('desk', (e) => {
        if (tabNow.current === 'desk' || e.busy) return;
        setCoveredRead('读卡/扫码未用于挂号: 门诊收费处的挂号界面不在屏幕上. 按 F5 回到门诊收费, 再读卡/扫码');
      }),
    [client],
  );
  useEffect(() => {
    if (tab === 'desk') setCoveredRead(null); // back on the desk: the advice is followed
  }, [tab]);
  useEffect(() => {
    // The technician session ended (lock, sign-out, 结束运维): the technician screen closes with it.
    // Only its end counts: the session event of a new technician session may arrive after its answer.
    const has = session?.technician != null;
    if (hadTechnician.current && !has && role === 'tech') {
      setRole('cashier');
      setTab('cashier');
    }
    hadTechnician.current = has;
  }, [session, role]);
  const openTech = () => {
    setRole('tech');
    setTab('tech');
  };

  const submit = useCallback(
    (code: string) => {
      // A scan that goes through clears the last one's failure: an old error never hides new feedback.
      client.call('submitScan', { code }).then(() => setAppError(null), (e: unknown) => setAppError(errorText(e)));
    },
    [client],
  );

  const typed = useKeyboard({
    onScan(code) {
      if (!signedIn) return;
      if (scanCapture.current?.(code)) return; // a payment reference for the tender dialog
      if (tab === 'tech') {
        setScanLog((l) => [`键盘扫码: ${code}`, ...l].slice(0, 50));
        return;
      }
      if (tab === 'desk') {
        deskScan.current?.(code);
        return;
      }
      setTab('cashier');
      submit(code);
    },
    onManual(text) {
      if (!signedIn || tab !== 'cashier') return;
      // Digits are a barcode typed by hand; anything else is a drug's name or 拼音 initials: 药品查找.
      if (/^\d+$/.test(text.trim())) submit(text);
      else setLookup(text.trim());
    },
    onKey(e, inField) {
      if (!signedIn) return;
      if (e.ctrlKey && e.key.toLowerCase() === 'l') {
        e.preventDefault();
        client.call('lockScreen', {}).catch((err: unknown) => setAppError(errorText(err)));
        return;
      }
      if (e.key === 'F5') {
        // The home screen; on a terminal that is both counter and desk, F5 again switches between them
        // (F11 is the counter's 全自费).
        e.preventDefault();
        // From 门诊查询 it goes back to the desk it came from.
        setTab(tab === 'visits' ? 'desk' : kind === 'both' && tab === home ? 'desk' : home);
        return;
      }
      if (e.key === 'F6') {
        // On the desk with a settled or cancelled visit shown, F6 is 打印 (the desk takes it); else 查询.
        if (tab === 'desk') screenKeys.current?.(e, inField);
        if (e.defaultPrevented) return;
        e.preventDefault();
        setTab(findTab);
        return;
      }
      if (e.key === 'F8') {
        e.preventDefault();
        if (role === 'tech' && tab === 'tech') {
          setRole('cashier');
          setTab(home);
        } else if (session?.technician) {
          openTech();
        } else {
          setAskTechnician(true);
        }
        return;
      }
      screenKeys.current?.(e, inField);
    },
  });

  return (
    <ScreenKeys.Provider value={screenKeys}>
      <div className="app">
        <header className="topbar">
          <div className="brand">{kind === 'desk' ? '医保门诊收费处' : '医保结算收银台'}</div>
          <nav className="tabs" aria-label="屏幕">
            {kind !== 'desk' && (
              <button type="button" tabIndex={-1} className={tab === 'cashier' ? 'tab active' : 'tab'} onClick={() => setTab('cashier')}>
                收银 <kbd>F5</kbd>
              </button>
            )}
            {kind !== 'pharmacy' && (
              <button type="button" tabIndex={-1} className={tab === 'desk' ? 'tab active' : 'tab'} data-testid="tab-desk" onClick={() => setTab('desk')}>
                门诊收费 <kbd>F5</kbd>
              </button>
            )}
            {kind !== 'desk' && (
              <button type="button" tabIndex={-1} className={tab === 'find' ? 'tab active' : 'tab'} data-testid="tab-find" onClick={() => setTab('find')}>
                查询/撤销 {findTab === 'find' && <kbd>F6</kbd>}
              </button>
            )}
            {kind !== 'pharmacy' && (
              <button type="button" tabIndex={-1} className={tab === 'visits' ? 'tab active' : 'tab'} data-testid="tab-visits" onClick={() => setTab('visits')}>
                门诊查询 {findTab === 'visits' && <kbd>F6</kbd>}
              </button>
            )}
            <button
              type="button"
              tabIndex={-1}
              className={tab === 'tech' ? 'tab active' : 'tab'}
              data-testid="role-switch"
              onClick={() => {
                if (role === 'tech') {
                  setRole('cashier');
                  setTab(home);
                } else if (session?.technician) openTech();
                else setAskTechnician(true);
              }}
            >
              {role === 'tech' ? '运维 (退出)' : '运维'} <kbd>F8</kbd>
            </button>
          </nav>
          <div className="who" data-testid="who">
            {status.value?.storeName}
            {session?.operator && ` · ${session.operator.roleText} ${session.operator.name}`}
          </div>
          {session?.operator && (
            <div className="session-buttons">
              {session.technician && session.technician.code !== session.operator.code && (
                <button type="button" tabIndex={-1} data-testid="tech-signout" onClick={() => void client.call('technicianSignOut', {})}>
                  结束运维 {session.technician.name}
                </button>
              )}
              <button type="button" tabIndex={-1} data-testid="lock" onClick={() => void client.call('lockScreen', {})}>
                锁屏 <kbd>Ctrl+L</kbd>
              </button>
              <button
                type="button"
                tabIndex={-1}
                data-testid="signout"
                onClick={() => client.call('operatorSignOut', {}).catch((err: unknown) => setAppError(errorText(err)))}
              >
                签退
              </button>
            </div>
          )}
        </header>
        {appError && (
          <div className="banner error" role="alert" onClick={() => setAppError(null)}>
            {appError}
          </div>
        )}
        {coveredRead && (
          <div className="banner error" role="alert" data-testid="covered-read" onClick={() => setCoveredRead(null)}>
            {coveredRead}
          </div>
        )}
        <OfflineBanner status={status.value} />
        <div className="body">
          <main className="screen" data-testid="screen">
            {session && !session.operator && <SignInScreen session={session} />}
            {session?.operator && tab === 'cashier' && <CashierScreen typed={typed} lookup={lookup} onLookup={setLookup} />}
            {session?.operator && tab === 'desk' && (
              <DeskScreen
                demo={status.value?.demo ?? false}
                scanRef={deskScan}
                onWaiting={setDeskForm}
                devicesReady={deskReady}
                show={deskVisit}
                onShown={deskVisitShown}
              />
            )}
            {session?.operator && tab === 'find' && <FindScreen />}
            {session?.operator && tab === 'visits' && (
              <FindVisitsScreen
                onOpen={(id) => {
                  setDeskVisit(id);
                  setTab('desk');
                }}
              />
            )}
            {session?.operator && tab === 'tech' && role === 'tech' && <TechnicianScreen keyboardScans={scanLog} />}
          </main>
          {status.value?.demo && <SimPanel />}
        </div>
        {session?.locked && <LockScreen session={session} />}
        {askTechnician && session && !session.locked && (
          <TechnicianPrompt
            session={session}
            onCancel={() => setAskTechnician(false)}
            onDone={() => {
              setAskTechnician(false);
              openTech();
            }}
          />
        )}
        <StatusBar status={status.value} error={status.error} />
      </div>
    </ScreenKeys.Provider>
  );
}

export function OfflineBanner({ status }: { status: StatusDto | null }) {
  if (!status || status.online) return null;
  return (
    <div className="banner offline" role="status" data-testid="offline-banner">
      {status.mode === 'manual' ? '已手动切换为离线' : '医保平台连不上, 当前离线'}
      {status.offlineAvailable
        ? `: 读社保卡可继续离线结算 (医保码需联网), 已有 ${status.queued} 笔待上传, 联网后自动上传`
        : ': 暂不能医保结算, 请稍后重试或按自费处理'}
    </div>
  );
}
