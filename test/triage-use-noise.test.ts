/**
 * Noise set aside by what the value is used for: timing warnings where neither side is a secret or
 * a MAC (two values typed at a prompt; a content digest compared with the last one saved), a random
 * id that only tells elements on screen apart, one pick of a list of sentences. Each beside a near
 * miss that stays a finding.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleFinding, triageMarked } from './support/triage-at';

const timing = ruleFinding('security/detect-possible-timing-attacks', 'ESLint', ['CWE-208'], 'medium');

const prompt = [
  "import { createInterface } from 'node:readline/promises';",
  'const rl = createInterface({ input: process.stdin, output: process.stdout });',
  "const password = await rl.question('Password: ');",
  "const again = await rl.question('Again: ');",
  'const stored = await Staff.passwordOf(email);',
  'if (password !== again) { // typed twice',
  '  process.exit(1);',
  '}',
  'if (password !== stored) { // against the stored one',
  '  process.exit(1);',
  '}',
].join('\n');

test('two values typed at a prompt are compared with nothing secret on either side', () => {
  const typed = triageMarked(timing, 'scripts/create-staff.ts', prompt, '// typed twice');
  assert.equal(typed.verdict, 'false_positive');
  assert.equal(typed.category, 'not_security');
  assert.match(typed.justification, /typed at a prompt/);
  // Near miss: one side is a stored password: the noisy rule's doubt stands.
  const stored = triageMarked(timing, 'scripts/create-staff.ts', prompt, '// against the stored one');
  assert.notEqual(stored.verdict, 'false_positive');
});

const autosave = [
  'async function digest(text: string): Promise<string> {',
  "  const bytes = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));",
  "  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');",
  '}',
  '',
  'export function Editor({ initial }: { initial: string }) {',
  '  const lastSavedHash = useRef<string | null>(null);',
  '  useEffect(() => {',
  '    const timer = setInterval(async () => {',
  '      const hash = await digest(text);',
  '      if (hash === lastSavedHash.current) return; // skip',
  "      const res = await fetch('/api/notes', { method: 'PUT', body: text });",
  '      if (res.ok) lastSavedHash.current = hash;',
  '    }, 5000);',
  '    return () => clearInterval(timer);',
  '  }, [text]);',
  '}',
  '',
  'export async function check(req, res) {',
  "  const hash = await digest(req.body.text + SECRET);",
  "  if (hash === req.headers['x-hash']) return res.end(); // keyed",
  '}',
].join('\n');

test('a content digest compared with the last one the code saved is a change check', () => {
  const skip = triageMarked(timing, 'src/components/Editor.tsx', autosave, '// skip');
  assert.equal(skip.verdict, 'false_positive');
  assert.match(skip.justification, /last one the code itself saved/);
  // Near miss: a digest over a secret compared with a request header stays.
  const keyed = triageMarked(timing, 'src/components/Editor.tsx', autosave, '// keyed');
  assert.notEqual(keyed.verdict, 'false_positive');
});

const randomRule = ruleFinding('sonarjs/pseudo-random', 'ESLint', ['CWE-338'], 'medium');
const toasts = [
  'export function ToastProvider({ children }) {',
  '  const [toasts, setToasts] = useState([]);',
  '  const push = useCallback((text) => {',
  '    const id = Math.random().toString(36).slice(2); // toast',
  '    setToasts((all) => [...all, { id, text }]);',
  '    setTimeout(() => setToasts((all) => all.filter((t) => t.id !== id)), 4000);',
  '  }, []);',
  '  return <ul>{toasts.map((t) => <li key={t.id}>{t.text}</li>)}</ul>;',
  '}',
].join('\n');
const invites = [
  'export function InviteList() {',
  '  const [invites, setInvites] = useState([]);',
  '  const add = useCallback((email) => {',
  '    const id = Math.random().toString(36).slice(2); // invite',
  '    setInvites((all) => [...all, { id, email }]);',
  '  }, []);',
  '  return <ul>{invites.map((i) => <li key={i.id}><a href={`/join?invite=${i.id}`}>{i.email}</a></li>)}</ul>;',
  '}',
].join('\n');

test('a random id that only tells toasts apart on screen is not security', () => {
  const toast = triageMarked(randomRule, 'src/components/Toasts.tsx', toasts, '// toast');
  assert.equal(toast.verdict, 'false_positive');
  assert.match(toast.justification, /only identifies an element on screen/);
  // Near miss: the same id put in a link that grants access stays.
  const invite = triageMarked(randomRule, 'src/components/Invites.tsx', invites, '// invite');
  assert.equal(invite.verdict, 'true_positive');
});

const b311 = ruleFinding('B311', 'Bandit', ['CWE-330'], 'low');
const tips = [
  'import random',
  '',
  'TIPS = [',
  '    "Check your tyre pressure every week.",',
  '    "A dry chain wears out three times faster.",',
  ']',
  'WORDS = [',
  '    "apple",',
  '    "river",',
  ']',
  '',
  'def tip_of_the_day():',
  '    return random.choice(TIPS)  # tip',
  '',
  'def recovery_phrase():',
  '    return " ".join(random.choice(WORDS) for _ in range(6))  # phrase',
].join('\n');

test('one pick of a list of sentences written in the source is no secret', () => {
  const tip = triageMarked(b311, 'app/tips.py', tips, '# tip');
  assert.equal(tip.verdict, 'false_positive');
  assert.match(tip.justification, /TIPS, a list of 2 string literals/);
  // Near miss: several picks joined make a phrase: it stays.
  const phrase = triageMarked(b311, 'app/tips.py', tips, '# phrase');
  assert.equal(phrase.verdict, 'true_positive');
});

const views = [
  '@view_config(route_name="home", renderer="spokes:templates/home.jinja2")',
  'def home(request):',
  '    shops = request.dbsession.query(Shop).all()',
  '    featured = random.choice(shops)  # featured',
  '    return {"featured": featured, "shops": shops}',
  '',
  '@view_config(route_name="raffle", renderer="spokes:templates/raffle.jinja2")',
  'def raffle(request):',
  '    entries = request.dbsession.query(Entry).all()',
  '    winner = random.choice(entries)  # winner',
  '    return {"winner": winner}',
  '',
  '@view_config(route_name="api", renderer="json")',
  'def api(request):',
  '    shops = request.dbsession.query(Shop).all()',
  '    pick = random.choice(shops)  # json',
  '    return {"pick": pick}',
].join('\n');
const component = [
  'export function Home({ shops }) {',
  '  const featured = shops[Math.floor(Math.random() * shops.length)]; // jsx',
  '  return <Hero shop={featured} />;',
  '}',
  '',
  'export function Draw({ entries }) {',
  '  const winner = entries[Math.floor(Math.random() * entries.length)]; // draw',
  '  return <Winner entry={winner} />;',
  '}',
].join('\n');

test('a random pick handed to a template by any framework (a Pyramid renderer, JSX props) is for display', () => {
  const featured = triageMarked(b311, 'app/views.py', views, '# featured');
  assert.equal(featured.verdict, 'false_positive');
  assert.match(featured.justification, /rendered by/);
  const jsx = triageMarked(randomRule, 'src/Home.tsx', component, '// jsx');
  assert.equal(jsx.verdict, 'false_positive');
  // Near misses: a draw stays, and so does a pick a JSON renderer returns (no template decides what is shown).
  assert.equal(triageMarked(b311, 'app/views.py', views, '# winner').verdict, 'true_positive');
  assert.equal(triageMarked(b311, 'app/views.py', views, '# json').verdict, 'true_positive');
  assert.equal(triageMarked(randomRule, 'src/Home.tsx', component, '// draw').verdict, 'true_positive');
});
