import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/db.ts';
import { miniHospital } from '../../test/fixtures.ts';
import { systemActor } from '../../tools/core/actor.ts';
import { systemClock } from '../../tools/core/clock.ts';
import { operationsByModule } from '../../tools/registry.ts';
import { HmsTools, ToolCallError } from './mcp-client.ts';

describe('the agents’ MCP client (in-memory transport)', () => {
  it('offers every operation of its modules, as MCP tools and as LangChain tools', async () => {
    const database = await createTestDatabase(4);
    await miniHospital(database);
    const tools = await HmsTools.connectInProcess(['health-data', 'beds', 'staffing'], {
      database,
      clock: systemClock,
      actor: systemActor,
    });
    try {
      const expected = ['health-data', 'beds', 'staffing'] as const;
      const names = expected.flatMap((m) => operationsByModule[m].map((op) => op.name)).sort();
      const lc = await tools.langChainTools();
      expect(lc.map((t) => t.name).sort()).toEqual(names);

      const news2 = lc.find((t) => t.name === 'score_news2')!;
      expect(news2.description).toMatch(/National Early Warning Score/);
      const answer = await news2.invoke({
        respirationRate: 26,
        spo2: 90,
        spo2Scale: 1,
        onOxygen: true,
        systolicBp: 88,
        pulse: 135,
        consciousness: 'V',
        temperature: 39.5,
      });
      expect(JSON.stringify(answer)).toMatch(/"risk\\?":\s*\\?"high/);

      const direct = await tools.call<{ primary: { staffId: string } }>('on_call_now', {
        specialty: 'endocrinology',
      });
      expect(direct.primary.staffId).toBe('stf-endo');
      await expect(tools.call('on_call_now', { specialty: '' })).rejects.toBeInstanceOf(ToolCallError);
      await expect(tools.call('drop_all_tables', {})).rejects.toThrow(
        /no connected MCP server offers this tool/,
      );
    } finally {
      await tools.close();
    }
  });
});
