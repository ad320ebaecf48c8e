-- ksqlDB over the user-events: a stream over the topic and three tables that ksqlDB keeps up to
-- date (persistent queries, each one a Kafka Streams application inside ksqlDB server).
-- In the CLI (docker exec -it ksqldb-cli ksql http://ksqldb-server:8088):
--   RUN SCRIPT '/ksql/user-events.sql';
-- then the queries of ksql/queries.sql.

-- Read the topics from their beginning, so that events sent before the tables existed count too.
SET 'auto.offset.reset' = 'earliest';

-- The topic as a stream. Backticks keep names that are reserved words (timestamp, properties);
-- the event's own timestamp is the row's time (ROWTIME), so windows are in event time.
CREATE STREAM IF NOT EXISTS user_events (
  userKey VARCHAR KEY,
  eventId VARCHAR,
  userId VARCHAR,
  eventType VARCHAR,
  `timestamp` VARCHAR,
  `properties` STRUCT<
    `method` VARCHAR, sessionSeconds BIGINT, page VARCHAR, `query` VARCHAR,
    item VARCHAR, quantity INT, amount DECIMAL(12, 2), currency VARCHAR>
) WITH (
  KAFKA_TOPIC = 'user-events',
  VALUE_FORMAT = 'JSON',
  TIMESTAMP = '`timestamp`',
  TIMESTAMP_FORMAT = 'yyyy-MM-dd''T''HH:mm:ss[.SSS]X'
);

-- 1. Events per type per 1-minute tumbling window; an event more than 10 s late is left out.
CREATE TABLE IF NOT EXISTS events_per_type AS
  SELECT eventType, COUNT(*) AS events
  FROM user_events
  WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 10 SECONDS)
  GROUP BY eventType
  EMIT CHANGES;

-- 2. Revenue per user and currency.
CREATE TABLE IF NOT EXISTS revenue_per_user AS
  SELECT userId, `properties`->currency AS currency,
         SUM(`properties`->amount) AS total, COUNT(*) AS purchases
  FROM user_events
  WHERE eventType = 'purchase'
  GROUP BY userId, `properties`->currency
  EMIT CHANGES;

-- 3. Sessions per user: 30 minutes without an event ends a session.
CREATE TABLE IF NOT EXISTS sessions_per_user AS
  SELECT userId, COUNT(*) AS events
  FROM user_events
  WINDOW SESSION (30 MINUTES, GRACE PERIOD 10 SECONDS)
  GROUP BY userId
  EMIT CHANGES;
