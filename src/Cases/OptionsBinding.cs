using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace VerifyPipeline.Cases;

/// <summary>How every host binds its options: <c>BindConfiguration</c>, except that a list configured under the section
/// <b>replaces</b> its default. The configuration binder appends configured items to a list or array that already holds
/// items (dotnet/runtime#46988), so a default such as <c>Storage:Jobs:RetryDelaysSeconds</c> [2, 10, 30, 120] configured
/// as [5] became [2, 10, 30, 120, 5], and a policy could never narrow <c>Pipeline:Policy:AutoRejectReasons</c> (issue 12).</summary>
public static class OptionsBinding
{
    public static OptionsBuilder<T> BindSection<T>(this OptionsBuilder<T> builder, string section) where T : class =>
        builder.BindConfiguration(section).Configure<IConfiguration>((o, config) => ReplaceLists(o, config.GetSection(section)));

    /// <summary>Options read once while wiring (before the container exists), by the same rule as <see cref="BindSection{T}"/>.</summary>
    public static T GetOptions<T>(this IConfiguration config, string section) where T : class, new()
    {
        var options = config.GetSection(section).Get<T>() ?? new T();
        ReplaceLists(options, config.GetSection(section));
        return options;
    }

    /// <summary>Every list-valued property (at any depth of nested option objects) that the section configures is set to
    /// exactly the configured items.</summary>
    public static void ReplaceLists(object target, IConfiguration section)
    {
        foreach (var p in target.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!p.CanRead || p.GetIndexParameters().Length > 0) continue;
            var child = section.GetSection(p.Name);
            if (!child.GetChildren().Any()) continue;
            var type = p.PropertyType;
            if (IsList(type))
            {
                // init-only setters included (a record's list, e.g. DecisionPolicy.AutoRejectReasons): this runs on the
                // options instance being built, before anyone else sees it.
                if (p.SetMethod is not null) p.SetValue(target, child.Get(type));
            }
            else if (type.IsClass && type != typeof(string) && !IsDictionary(type) && p.GetValue(target) is { } nested)
                ReplaceLists(nested, child);
        }
    }

    private static readonly Type[] ListTypes =
        [typeof(List<>), typeof(IList<>), typeof(IReadOnlyList<>), typeof(ICollection<>), typeof(IReadOnlyCollection<>), typeof(IEnumerable<>)];

    private static bool IsList(Type t) => t.IsArray || (t.IsGenericType && ListTypes.Contains(t.GetGenericTypeDefinition()));

    private static bool IsDictionary(Type t) => t.GetInterfaces().Append(t).Any(i => i.IsGenericType &&
        (i.GetGenericTypeDefinition() == typeof(IDictionary<,>) || i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)));
}
