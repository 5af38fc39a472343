/**
 * NestJS timing leaks: a guard reads the request from its execution context and the secret from
 * the environment or `ConfigService` (`get<string>`, `getOrThrow`); compared with `!==` the shared
 * token leaks byte by byte. Each beside its near miss: a value whose name says no secret, and two
 * request values compared, confirm nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleFinding, triageMarked } from './support/triage-at';

const timing = ruleFinding('security/detect-possible-timing-attacks', 'ESLint', ['CWE-208']);
const ids = (result: ReturnType<typeof triageMarked>) => result.factors.map((f) => f.id);

const guard = (read: string, secret: string) => [
  "import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';",
  '@Injectable()',
  'export class DeviceKeyGuard implements CanActivate {',
  '  constructor(private readonly config: ConfigService, private readonly configService: ConfigService) {}',
  '  canActivate(ctx: ExecutionContext): boolean {',
  `    const token = ${read};`,
  `    if (!token || token !== ${secret}) {`,
  '      throw new UnauthorizedException();',
  '    }',
  '    return true;',
  '  }',
  '}',
].join('\n');

test("a guard's request header compared with !== against an environment or ConfigService secret is the timing leak", () => {
  const reads = ["ctx.switchToHttp().getRequest().headers['x-device-token']", "ctx.switchToHttp().getRequest<Request>().headers['x-device-token']"];
  const secrets = ['process.env.DEVICE_WEBHOOK_TOKEN', "this.config.get('DEVICE_TOKEN')", "this.configService.get<string>('DEVICE_SECRET')", "this.configService.getOrThrow<string>('DEVICE_API_KEY')"];
  for (const read of reads) {
    for (const secret of secrets) {
      const result = triageMarked(timing, 'src/webhooks/device-key.guard.ts', guard(read, secret), 'token !==');
      assert.equal(result.verdict, 'true_positive', `${read} / ${secret}: ${result.justification}`);
      assert.ok(ids(result).includes('secret-vs-request'), `${read} / ${secret}: ${result.justification}`);
    }
  }
  // Near misses: a configured value whose name says no secret, and a value from the request on both sides.
  const label = triageMarked(timing, 'src/webhooks/device-key.guard.ts', guard(reads[0] ?? '', "this.configService.get<string>('DEVICE_LABEL')"), 'token !==');
  assert.ok(!ids(label).includes('secret-vs-request'), label.justification);
  const both = triageMarked(timing, 'src/webhooks/device-key.guard.ts', guard(reads[0] ?? '', "ctx.switchToHttp().getRequest().query.token"), 'token !==');
  assert.ok(!ids(both).includes('secret-vs-request'), both.justification);
});

test('a secret read into a local from ConfigService, compared with a @Headers parameter, is the timing leak', () => {
  const file = [
    '@Controller("hooks")',
    'export class HooksController {',
    '  constructor(private readonly configService: ConfigService) {}',
    "  @Post('scale')",
    "  receive(@Headers('x-scale-token') token: string, @Body() body: unknown) {",
    "    const expected = this.configService.get<string>('SCALE_TOKEN');",
    '    if (token !== expected) throw new UnauthorizedException();',
    '    return this.hooks.record(body);',
    '  }',
    '}',
  ].join('\n');
  const result = triageMarked(timing, 'src/hooks/hooks.controller.ts', file, 'token !== expected');
  assert.ok(ids(result).includes('secret-vs-request'), result.justification);
  const plain = triageMarked(timing, 'src/hooks/hooks.controller.ts', file.replace("'SCALE_TOKEN'", "'SCALE_NAME'"), 'token !== expected');
  assert.ok(!ids(plain).includes('secret-vs-request'), plain.justification);
});
