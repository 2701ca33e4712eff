using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Mbi.Core.Errors;

namespace Mbi.Circuit.Engine;

/// <summary>
/// Every native call into ngspice's shared library (sharedspice.h), in one place. ngspice keeps all
/// its state in process globals and is not thread-safe, so parallel runs load one private copy of
/// the .so per worker. [LibraryImport] binds one library per process name and cannot address several
/// copies, so the entry points are resolved per loaded copy with NativeLibrary.GetExport and called
/// through unmanaged function pointers; the callbacks are [UnmanagedCallersOnly] and find their
/// engine through the user-data pointer ngspice hands back. Failures become exceptions saying what to do.
/// </summary>
internal static unsafe partial class NgSpiceNative
{
    /// <summary>The environment variable that points Mbi at a libngspice other than the system one.</summary>
    public const string LibraryVariable = "MBI_NGSPICE_LIB";
    public const string DebianPackage = "libngspice0";

    /// <summary>struct vector_info from sharedspice.h.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct VectorInfo
    {
        public nint Name;
        public int Type;
        public short Flags;
        public double* RealData;
        public nint ComplexData;
        public int Length;
    }

    /// <summary>The entry points of one loaded copy of the library.</summary>
    public sealed class Api
    {
        public required nint Handle { get; init; }
        public required delegate* unmanaged[Cdecl]<nint, nint, nint, nint, nint, nint, nint, int> Init { get; init; }
        public required delegate* unmanaged[Cdecl]<byte*, int> Command { get; init; }
        public required delegate* unmanaged[Cdecl]<byte**, int> Circ { get; init; }
        public required delegate* unmanaged[Cdecl]<byte*, VectorInfo*> GetVecInfo { get; init; }
        public required delegate* unmanaged[Cdecl]<byte*> CurPlot { get; init; }
    }

    /// <summary>The library Mbi uses: $MBI_NGSPICE_LIB if set, else the system's libngspice.so.0.</summary>
    public static string LocateLibrary()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(LibraryVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            if (!File.Exists(fromEnvironment))
                throw new EngineMissingException(
                    $"{LibraryVariable} points at '{fromEnvironment}', which does not exist; point it at ngspice's shared library " +
                    $"(e.g. /usr/lib/x86_64-linux-gnu/libngspice.so.0) or unset it to use the system's {DebianPackage}.");
            return fromEnvironment;
        }
        string[] candidates = OperatingSystem.IsMacOS()
            ? ["/opt/homebrew/lib/libngspice.dylib", "/usr/local/lib/libngspice.dylib"]
            : ["/usr/lib/x86_64-linux-gnu/libngspice.so.0", "/usr/lib/aarch64-linux-gnu/libngspice.so.0",
               "/usr/lib64/libngspice.so.0", "/usr/lib/libngspice.so.0", "/usr/local/lib/libngspice.so.0",
               "/usr/local/lib/libngspice.so"];
        foreach (string path in candidates)
            if (File.Exists(path)) return path;
        throw new EngineMissingException(
            $"ngspice's shared library (libngspice.so.0) was not found. Install it with `sudo apt-get install {DebianPackage}` " +
            $"(Debian/Ubuntu), or set {LibraryVariable} to the path of a libngspice build.");
    }

    /// <summary>Loads the library at <paramref name="path"/> and resolves the entry points Mbi uses.</summary>
    public static Api Load(string path)
    {
        nint handle;
        try
        {
            handle = NativeLibrary.Load(path);
        }
        catch (DllNotFoundException e)
        {
            throw new EngineMissingException(
                $"ngspice's shared library at '{path}' could not be loaded ({e.Message}). Install {DebianPackage} " +
                $"or set {LibraryVariable} to a working libngspice.", e);
        }
        catch (BadImageFormatException e)
        {
            throw new EngineMissingException(
                $"'{path}' is not a loadable ngspice shared library for this machine ({e.Message}). Set {LibraryVariable} to libngspice.so.0 from {DebianPackage}.", e);
        }
        return new Api
        {
            Handle = handle,
            Init = (delegate* unmanaged[Cdecl]<nint, nint, nint, nint, nint, nint, nint, int>)Export(handle, path, "ngSpice_Init"),
            Command = (delegate* unmanaged[Cdecl]<byte*, int>)Export(handle, path, "ngSpice_Command"),
            Circ = (delegate* unmanaged[Cdecl]<byte**, int>)Export(handle, path, "ngSpice_Circ"),
            GetVecInfo = (delegate* unmanaged[Cdecl]<byte*, VectorInfo*>)Export(handle, path, "ngGet_Vec_Info"),
            CurPlot = (delegate* unmanaged[Cdecl]<byte*>)Export(handle, path, "ngSpice_CurPlot"),
        };
    }

    private static nint Export(nint handle, string path, string name)
    {
        if (NativeLibrary.TryGetExport(handle, name, out nint address)) return address;
        throw new EngineMissingException(
            $"'{path}' has no export {name}: it is not ngspice's shared library (built with --with-ngshared). Install {DebianPackage} or fix {LibraryVariable}.");
    }

    /// <summary>Calls ngSpice_Init with Mbi's callbacks; <paramref name="engine"/> is handed back to them.</summary>
    public static void Initialise(Api api, GCHandle engine)
    {
        int status = api.Init(
            (nint)(delegate* unmanaged[Cdecl]<byte*, int, nint, int>)&OnOutput,
            (nint)(delegate* unmanaged[Cdecl]<byte*, int, nint, int>)&OnStatus,
            (nint)(delegate* unmanaged[Cdecl]<int, int, int, int, nint, int>)&OnExit,
            0, 0, 0, GCHandle.ToIntPtr(engine));
        if (status != 0)
            throw new EngineMissingException($"ngSpice_Init returned {status}; the ngspice library could not start. Reinstall {DebianPackage}.");
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnOutput(byte* text, int id, nint user)
    {
        if (user != 0 && GCHandle.FromIntPtr(user).Target is NgSpiceEngine engine)
            engine.Receive(Marshal.PtrToStringUTF8((nint)text) ?? "");
        return 0;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnStatus(byte* text, int id, nint user) => 0;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnExit(int status, int unload, int quit, int id, nint user)
    {
        if (user != 0 && GCHandle.FromIntPtr(user).Target is NgSpiceEngine engine)
            engine.Receive($"Error: ngspice requested exit (status {status}); this engine can no longer be used");
        return 0;
    }

    /// <summary>ngSpice_Command with a NUL-terminated UTF-8 copy of the text.</summary>
    public static int Command(Api api, string command)
    {
        byte[] bytes = Utf8(command);
        fixed (byte* p = bytes) return api.Command(p);
    }

    /// <summary>ngSpice_Circ: the netlist as an array of lines ending with a null pointer.</summary>
    public static int Circuit(Api api, IReadOnlyList<string> lines)
    {
        var buffers = new nint[lines.Count + 1];
        try
        {
            for (int i = 0; i < lines.Count; i++)
            {
                byte[] bytes = Utf8(lines[i]);
                buffers[i] = Marshal.AllocHGlobal(bytes.Length);
                Marshal.Copy(bytes, 0, buffers[i], bytes.Length);
            }
            fixed (nint* array = buffers) return api.Circ((byte**)array);
        }
        finally
        {
            foreach (nint b in buffers) if (b != 0) Marshal.FreeHGlobal(b);
        }
    }

    /// <summary>The real data of a vector of the current plot, or an empty span if it does not exist.</summary>
    public static ReadOnlySpan<double> Vector(Api api, string name)
    {
        byte[] bytes = Utf8(name);
        VectorInfo* info;
        fixed (byte* p = bytes) info = api.GetVecInfo(p);
        if (info == null || info->RealData == null || info->Length <= 0) return default;
        return new ReadOnlySpan<double>(info->RealData, info->Length);
    }

    public static string CurrentPlot(Api api) => Marshal.PtrToStringUTF8((nint)api.CurPlot()) ?? "";

    private static byte[] Utf8(string s)
    {
        int n = System.Text.Encoding.UTF8.GetByteCount(s);
        var bytes = new byte[n + 1];
        System.Text.Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }
}
