import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Session } from './api/types';

export const SessionContext = createContext<Session>({ kind: 'admin', unit: null, temporalUi: '' });
export const useSession = () => useContext(SessionContext);

/** Whether the signed-in caller may act for `unitCode` (its own unit, or the admin). */
export const canActFor = (s: Session, unitCode: string | null | undefined): boolean =>
  s.kind === 'admin' || (!!unitCode && s.unit?.code === unitCode);
