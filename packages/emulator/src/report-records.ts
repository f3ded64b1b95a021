import { validateProducerReport } from './producer-report.ts';
import { checkId, type ReportRoute } from './report-routes.ts';
import type { CredentialKind, StoredRecord } from './types.ts';
import { type TimeWindow, validateReport } from './validate.ts';

/**
 * The records an authenticated report request carries (`text` is the body,
 * decompressed), validated the way LTS does: path ids, then the body of the
 * route's shape. Throws a 400 `Refusal` naming the first problem.
 */
export function reportRecords(
  route: ReportRoute,
  text: string,
  context: { window: TimeWindow; requestId: number; credential: CredentialKind },
): StoredRecord[] {
  const { api, ...ids } = route;
  checkId('project_id', ids.projectId, 32);
  checkId('log_group_id', ids.logGroupId, 36);
  checkId('log_stream_id', ids.logStreamId, 36);
  const reports =
    api === 'batch'
      ? validateProducerReport(text, ids.projectId, context.window)
      : [validateReport(text, api, context.window)];
  return reports.flatMap((report) =>
    report.contents.map((content, index) => ({
      content,
      timeNs: report.times[index]!,
      labels: report.labels,
      ...ids,
      api,
      requestId: context.requestId,
      credential: context.credential,
    })),
  );
}
