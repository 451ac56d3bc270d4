/**
 * The demo store's people, with their PINs and passwords in the clear: this is demo data, shown in
 * the README so anyone can try every role. A real store creates its own staff (back office or CLI).
 */
import { randomBytes } from 'node:crypto';
import type { StaffTable } from '../db';
import type { Role } from '../staff';
import { hashSecret, newStaffRow } from '../staff';

export interface DemoUser {
  id: string;
  storeId: string | null;
  code: string;
  name: string;
  role: Role;
  pin: string | null;
  password: string | null;
}

export const DEMO_USERS: readonly DemoUser[] = [
  {
    id: 'staff_sh01_cashier',
    storeId: 'store_sh01',
    code: 'SH01-C1',
    name: '王芳',
    role: 'cashier',
    pin: '2580',
    password: null,
  },
  {
    id: 'staff_sh01_cashier2',
    storeId: 'store_sh01',
    code: 'SH01-C2',
    name: '张伟',
    role: 'cashier',
    pin: '1397',
    password: null,
  },
  {
    id: 'staff_sh01_super',
    storeId: 'store_sh01',
    code: 'SH01-S1',
    name: '陈静',
    role: 'supervisor',
    pin: '3691',
    password: 'sh01-supervisor',
  },
  {
    id: 'staff_sh01_manager',
    storeId: 'store_sh01',
    code: 'SH01-M1',
    name: '刘洋',
    role: 'manager',
    pin: '4826',
    password: 'sh01-manager',
  },
  {
    id: 'staff_hz01_cashier',
    storeId: 'store_hz01',
    code: 'HZ01-C1',
    name: '李娜',
    role: 'cashier',
    pin: '2580',
    password: null,
  },
  {
    id: 'staff_hz01_manager',
    storeId: 'store_hz01',
    code: 'HZ01-M1',
    name: '赵敏',
    role: 'manager',
    pin: '4826',
    password: 'hz01-manager',
  },
  {
    id: 'staff_hq_admin',
    storeId: null,
    code: 'HQ-A1',
    name: '周总',
    role: 'admin',
    pin: null,
    password: 'hq-admin-2026',
  },
];

export function demoUser(code: string): DemoUser {
  const user = DEMO_USERS.find((u) => u.code === code);
  if (!user) throw new Error(`no demo user ${code}`);
  return user;
}

// Tests seed many databases in one process: each demo secret is hashed once per process.
const hashed = new Map<string, Promise<string>>();
function demoHash(secret: string | null): Promise<string | null> {
  if (secret === null) return Promise.resolve(null);
  let hash = hashed.get(secret);
  if (!hash) {
    hash = hashSecret(secret, (n) => new Uint8Array(randomBytes(n)));
    hashed.set(secret, hash);
  }
  return hash;
}

export async function demoStaffRows(at: string): Promise<StaffTable[]> {
  return Promise.all(
    DEMO_USERS.map(async (u) =>
      newStaffRow({
        id: u.id,
        store_id: u.storeId,
        code: u.code,
        name: u.name,
        role: u.role,
        created_at: at,
        pin_hash: await demoHash(u.pin),
        password_hash: await demoHash(u.password),
      }),
    ),
  );
}
