-- Three questions about the user-events, in Flink SQL:
--   java -jar target/kafka-demo.jar sql --file sql/user-events.sql --until-latest
-- The table user_events is defined by the sql command (see its --help); event_time is the event's
-- own timestamp, with a watermark that trails the latest event by --grace (10 s).

-- 1. Events per type per 1-minute tumbling window, in event time. A window's counts come once the
--    watermark has passed its end; an event later than that is left out, as in the streams command.
SELECT window_start, eventType, COUNT(*) AS events
FROM TABLE(TUMBLE(TABLE user_events, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, eventType;

-- 2. Revenue per user and currency: a continuously updated table (each purchase updates a row).
SELECT userId, properties.currency AS currency, SUM(properties.amount) AS total,
       COUNT(*) AS purchases
FROM user_events
WHERE eventType = 'purchase'
GROUP BY userId, properties.currency;

-- 3. Sessions per user: activity separated by 30 minutes or more of inactivity.
SELECT userId, window_start AS session_start, window_end - INTERVAL '30' MINUTE AS last_event,
       COUNT(*) AS events
FROM TABLE(SESSION(TABLE user_events PARTITION BY userId, DESCRIPTOR(event_time), INTERVAL '30' MINUTE))
GROUP BY userId, window_start, window_end;
