using System.ComponentModel;
using System.Globalization;

namespace Twin.LocalHost.Invocation;

/// <summary>Converts route and query strings to the parameter types functions declare (string, int, Guid, …).</summary>
public static class ValueConverter
{
    public static bool TryConvert(string? text, Type target, out object? value)
    {
        value = null;
        var underlying = Nullable.GetUnderlyingType(target) ?? target;
        if (text is null)
        {
            value = target.IsValueType && Nullable.GetUnderlyingType(target) is null ? Activator.CreateInstance(target) : null;
            return true;
        }

        if (underlying == typeof(string))
        {
            value = text;
            return true;
        }

        var converter = TypeDescriptor.GetConverter(underlying);
        if (!converter.CanConvertFrom(typeof(string)))
        {
            return false;
        }

        try
        {
            value = converter.ConvertFromString(null, CultureInfo.InvariantCulture, text);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or NotSupportedException or ArgumentException || ex.InnerException is FormatException or OverflowException)
        {
            return false;
        }
    }
}
