import { type Expression, sql } from 'kysely';

/**
 * The note of a service's opening hours: the descriptions of its schedules (HSDS `schedule.description`, e.g.
 * "closed during school holidays"), each once, in the order they were written, one a line; null when none has one.
 * The text editors translate as the service's `openingHoursNote`.
 */
export function openingHoursNote(serviceId: Expression<string>) {
  return sql<string | null>`(
    select string_agg(notes.description, E'\n' order by notes.first_id) from (
      select sc.description, min(sc.id::text) as first_id from schedule sc
      where sc.service_id = ${serviceId} and trim(coalesce(sc.description, '')) <> ''
      group by sc.description
    ) as notes)`;
}
