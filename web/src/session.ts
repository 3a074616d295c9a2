import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Role, Session } from './api/types';

export const SessionContext = createContext<Session>({ kind: 'admin', unit: null, temporalUi: '' });
export const useSession = () => useContext(SessionContext);

/** Whether the signed-in caller may act for `unitCode` (its own unit, or the admin). */
export const canActFor = (s: Session, unitCode: string | null | undefined): boolean =>
  s.kind === 'admin' || (!!unitCode && s.unit?.code === unitCode);

/** Whether the caller holds `role` (the admin holds every one; an older API sends no roles: all). */
export const holds = (s: Session, role: Role): boolean => s.kind === 'admin' || !s.roles || s.roles.includes(role);

/** Whether the caller may act for `unitCode` in `role`. */
export const canActAs = (s: Session, unitCode: string | null | undefined, role: Role): boolean => canActFor(s, unitCode) && holds(s, role);
