package dev.kafkademo.cli.context;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A named cluster (kafkactl's contexts, rpk's profiles): where its broker, schema registry and
 * Connect are, and the client properties file with its security settings. Null: not set, the
 * command's own default applies.
 *
 * @param commandConfig an absolute path: the file is read when a command runs, never copied
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Context(
    String bootstrapServer, String commandConfig, String schemaRegistry, String connectUrl) {}
