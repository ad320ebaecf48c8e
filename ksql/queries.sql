-- Queries over the tables of ksql/user-events.sql, typed in the ksqlDB CLI.

-- A push query: the counts per type as they change, new events included (ends after 20 rows;
-- without LIMIT it runs until Ctrl-C).
SELECT eventType,
       TIMESTAMPTOSTRING(WINDOWSTART, 'yyyy-MM-dd HH:mm:ss', 'UTC') AS window_start,
       events
FROM events_per_type
EMIT CHANGES
LIMIT 20;

-- A pull query: the revenue table as it is now, like a database table.
SELECT userId, currency, total, purchases FROM revenue_per_user;

-- A pull query by key: one user's sessions.
SELECT userId,
       TIMESTAMPTOSTRING(WINDOWSTART, 'yyyy-MM-dd HH:mm:ss', 'UTC') AS session_start,
       TIMESTAMPTOSTRING(WINDOWEND, 'yyyy-MM-dd HH:mm:ss', 'UTC') AS last_event,
       events
FROM sessions_per_user
WHERE userId = 'user-1';
