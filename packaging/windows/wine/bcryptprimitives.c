/* bcryptprimitives.dll for Wine 8, which lacks it (Wine 9 has it; Windows 8 and later ship it).
 *
 * Rust programs built since Rust 1.78 draw their random numbers from ProcessPrng here; the
 * `cryptography` wheel is one, so without this DLL it does not load under Wine 8. ProcessPrng
 * fills a buffer with bytes from the system's generator and always succeeds; RtlGenRandom
 * (advapi32's SystemFunction036) is that generator in Wine. Test machinery only: it goes into
 * the Wine prefix of `make package-windows-test`, never into the bundle or the installer.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
