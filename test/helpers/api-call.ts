// A contract method called over the browser-mode HTTP binding, as the renderer calls it: a failure throws
// with its status and body; an answer is parsed by the method's own result schema.
import { methods, type Args, type Method, type Result } from '../../main/api/contract';

export async function callApi<M extends Method>(port: number, method: M, args: Args<M>): Promise<Result<M>> {
  const r = await fetch(`http://127.0.0.1:${port}/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(args) });
  const body = (await r.json()) as unknown;
  if (!r.ok) throw new Error(`${method}: ${r.status} ${JSON.stringify(body)}`);
  return methods[method].result.parse(body) as Result<M>;
}
