package dev.kafkademo.kafka.admin;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The cluster's ACLs through the Admin API, what kafka-acls.sh does: list them, add rules that
 * allow or deny a principal an operation on a resource, and remove the rules a filter matches.
 */
public final class Acls {
  private final Cluster cluster;

  Acls(Cluster cluster) {
    this.cluster = cluster;
  }

  /** One rule, as kafka-acls.sh and Kafka UI show it; names lower case as users type them. */
  public record Rule(
      String principal,
      String permission,
      String operation,
      String resourceType,
      String resourceName,
      String patternType,
      String host) {

    static Rule of(AclBinding binding) {
      ResourcePattern pattern = binding.pattern();
      AccessControlEntry entry = binding.entry();
      return new Rule(
          entry.principal(),
          lower(entry.permissionType()),
          lower(entry.operation()),
          lower(pattern.resourceType()),
          pattern.name(),
          lower(pattern.patternType()),
          entry.host());
    }
  }

  /**
   * What a rule is about: a topic, a group, the cluster or a transactional id, by name or prefix.
   */
  public record Resource(ResourceType type, String name, boolean prefixed) {
    public static final Resource CLUSTER =
        new Resource(ResourceType.CLUSTER, "kafka-cluster", false);

    ResourcePattern pattern() {
      return new ResourcePattern(type, name, prefixed ? PatternType.PREFIXED : PatternType.LITERAL);
    }

    /** Matches this resource; a null resource matches every one. */
    static ResourcePatternFilter filter(Resource resource) {
      return resource == null ? ResourcePatternFilter.ANY : resource.pattern().toFilter();
    }
  }

  /** The rules on {@code resource} (null: all), for {@code principal} (null: anyone's). */
  public List<Rule> list(Resource resource, String principal) {
    AclBindingFilter filter =
        new AclBindingFilter(
            Resource.filter(resource),
            new AccessControlEntryFilter(principal, null, AclOperation.ANY, AclPermissionType.ANY));
    return sorted(cluster.await(cluster.admin().describeAcls(filter).values()));
  }

  /**
   * Adds a rule per operation: {@code principal} is allowed (or denied) each on {@code resource}
   * from {@code host} ("*": any).
   */
  public List<Rule> add(
      Resource resource,
      String principal,
      boolean allow,
      Collection<AclOperation> operations,
      String host) {
    List<AclBinding> bindings = new ArrayList<>();
    for (AclOperation operation : operations) {
      bindings.add(
          new AclBinding(
              resource.pattern(),
              new AccessControlEntry(
                  principal,
                  host,
                  operation,
                  allow ? AclPermissionType.ALLOW : AclPermissionType.DENY)));
    }
    cluster.await(cluster.admin().createAcls(bindings).all());
    return sorted(bindings);
  }

  /**
   * Removes the rules on {@code resource} (null: any) for {@code principal} (null: anyone's), of
   * the given permission (null: both) and operations (empty: any), from {@code host} (null: any).
   *
   * @return the rules removed
   */
  public List<Rule> remove(
      Resource resource,
      String principal,
      Boolean allow,
      Collection<AclOperation> operations,
      String host) {
    AclPermissionType permission =
        allow == null
            ? AclPermissionType.ANY
            : allow ? AclPermissionType.ALLOW : AclPermissionType.DENY;
    List<AclBindingFilter> filters = new ArrayList<>();
    for (AclOperation operation : operations.isEmpty() ? List.of(AclOperation.ANY) : operations) {
      filters.add(
          new AclBindingFilter(
              Resource.filter(resource),
              new AccessControlEntryFilter(principal, host, operation, permission)));
    }
    return sorted(cluster.await(cluster.admin().deleteAcls(filters).all()));
  }

  private static List<Rule> sorted(Collection<AclBinding> bindings) {
    return bindings.stream()
        .map(Rule::of)
        .sorted(
            Comparator.comparing(Rule::resourceType)
                .thenComparing(Rule::resourceName)
                .thenComparing(Rule::principal)
                .thenComparing(Rule::operation)
                .thenComparing(Rule::permission))
        .toList();
  }

  /** As users type them: describe-configs, transactional-id. */
  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
