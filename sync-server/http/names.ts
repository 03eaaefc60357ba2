/**
 * Members' names are distinct within a plan: a name another current member already has gets
 * the lowest free number, "Anna (2)" (`distinctName`, core/access/names.ts), so nobody can
 * pass for someone else by taking their name and nobody is turned away for a common name.
 */
import { distinctName } from '../../core/access/index.ts';
import type { MemberRecord, MetaStore } from '../storage/types.ts';

export interface MemberNames {
  /**
   * Runs `change` with the name `wanted` made distinct from every other current member's;
   * `change` stores it. Changes of one plan run one at a time, so two people choosing the
   * same name at once cannot both keep it.
   */
  assign<T>(
    planId: string,
    memberId: string,
    wanted: string,
    change: (name: string) => Promise<T>,
  ): Promise<T>;
  /** After a member was created with a name as given: renames them if the name is taken. */
  settle(member: MemberRecord): Promise<MemberRecord>;
}

/**
 * The queue is per process: the SQLite store serves one process. A store shared by several
 * server processes would need the same rule inside its own transaction.
 */
export function memberNames(meta: MetaStore): MemberNames {
  const queues = new Map<string, Promise<unknown>>();

  const serial = <T>(planId: string, task: () => Promise<T>): Promise<T> => {
    const before = queues.get(planId) ?? Promise.resolve();
    const run = before.then(task);
    const tail = run.catch(() => undefined);
    queues.set(planId, tail);
    void tail.then(() => {
      if (queues.get(planId) === tail) queues.delete(planId);
    });
    return run;
  };

  const free = async (planId: string, memberId: string, wanted: string): Promise<string> => {
    const others = (await meta.listMembers(planId)).filter((m) => m.id !== memberId && m.revokedAt === null);
    return distinctName(
      wanted,
      others.map((m) => m.name),
    );
  };

  return {
    assign: (planId, memberId, wanted, change) =>
      serial(planId, async () => change(await free(planId, memberId, wanted))),
    settle: (member) =>
      serial(member.planId, async () => {
        const name = await free(member.planId, member.id, member.name);
        if (name === member.name) return member;
        return (await meta.updateMember(member.planId, member.id, { name })) ?? member;
      }),
  };
}
