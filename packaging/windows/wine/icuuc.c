/* A stand-in icuuc.dll for Wine, which has no ICU (Windows 10 1703 and later ship one).
 *
 * Qt6Core.dll of PySide6 links icuuc.dll for its legacy text converters only: the twenty
 * ucnv_* functions below, used by QStringConverter for encodings Qt does not know itself
 * (Windows-1258, Shift-JIS …). DanhGia reads and writes UTF-8 and UTF-16 only, which Qt
 * converts without ICU. This stand-in answers as an ICU without converter data would: no
 * converter opens (U_FILE_ACCESS_ERROR), none is listed. It lets QtCore load under Wine so
 * that the window can be tested there; it is test machinery, copied into the Wine prefix of
 * `make package-windows-test`, never into the bundle or the installer — on Windows the
 * system's own ICU is used.
 */
#include <stddef.h>
#include <stdint.h>

typedef int UErrorCode;
typedef uint16_t UChar;
typedef struct UConverter UConverter;
typedef int8_t UBool;

enum { U_FILE_ACCESS_ERROR = 4, U_UNSUPPORTED_ERROR = 16 };

static void refuse(UErrorCode *error)
{
    if (error && *error <= 0)
        *error = U_UNSUPPORTED_ERROR;
}

__declspec(dllexport) UConverter *ucnv_open(const char *name, UErrorCode *error)
{
    (void)name;
    if (error && *error <= 0)
        *error = U_FILE_ACCESS_ERROR;
    return NULL;
}

__declspec(dllexport) void ucnv_close(UConverter *c) { (void)c; }
__declspec(dllexport) void ucnv_reset(UConverter *c) { (void)c; }
__declspec(dllexport) int8_t ucnv_getMaxCharSize(const UConverter *c) { (void)c; return 1; }

__declspec(dllexport) const char *ucnv_getName(const UConverter *c, UErrorCode *error)
{
    (void)c;
    refuse(error);
    return NULL;
}

__declspec(dllexport) int32_t ucnv_countAvailable(void) { return 0; }
__declspec(dllexport) const char *ucnv_getAvailableName(int32_t n) { (void)n; return NULL; }

__declspec(dllexport) const char *ucnv_getStandardName(const char *name, const char *standard,
                                                       UErrorCode *error)
{
    (void)name, (void)standard;
    refuse(error);
    return NULL;
}

/* The callbacks: Qt passes their addresses to ucnv_set*Callback and never calls them itself. */
__declspec(dllexport) void UCNV_FROM_U_CALLBACK_SUBSTITUTE(void) {}
__declspec(dllexport) void UCNV_TO_U_CALLBACK_SUBSTITUTE(void) {}

__declspec(dllexport) void ucnv_getToUCallBack(const UConverter *c, void **action,
                                               const void **context)
{
    (void)c;
    if (action) *action = NULL;
    if (context) *context = NULL;
}

__declspec(dllexport) void ucnv_getFromUCallBack(const UConverter *c, void **action,
                                                 const void **context)
{
    (void)c;
    if (action) *action = NULL;
    if (context) *context = NULL;
}

__declspec(dllexport) void ucnv_setToUCallBack(UConverter *c, void *action, const void *context,
                                               void **old_action, const void **old_context,
                                               UErrorCode *error)
{
    (void)c, (void)action, (void)context, (void)old_action, (void)old_context;
    refuse(error);
}

__declspec(dllexport) void ucnv_setFromUCallBack(UConverter *c, void *action, const void *context,
                                                 void **old_action, const void **old_context,
                                                 UErrorCode *error)
{
    (void)c, (void)action, (void)context, (void)old_action, (void)old_context;
    refuse(error);
}

__declspec(dllexport) void ucnv_cbToUWriteUChars(void *args, const UChar *source, int32_t length,
                                                 int32_t offset, UErrorCode *error)
{
    (void)args, (void)source, (void)length, (void)offset;
    refuse(error);
}

__declspec(dllexport) void ucnv_cbFromUWriteUChars(void *args, const UChar **source,
                                                   const UChar *limit, int32_t offset,
                                                   UErrorCode *error)
{
    (void)args, (void)source, (void)limit, (void)offset;
    refuse(error);
}

__declspec(dllexport) void ucnv_toUnicode(UConverter *c, UChar **target, const UChar *limit,
                                          const char **source, const char *source_limit,
                                          int32_t *offsets, UBool flush, UErrorCode *error)
{
    (void)c, (void)target, (void)limit, (void)source, (void)source_limit, (void)offsets,
        (void)flush;
    refuse(error);
}

__declspec(dllexport) void ucnv_fromUnicode(UConverter *c, char **target, const char *limit,
                                            const UChar **source, const UChar *source_limit,
                                            int32_t *offsets, UBool flush, UErrorCode *error)
{
    (void)c, (void)target, (void)limit, (void)source, (void)source_limit, (void)offsets,
        (void)flush;
    refuse(error);
}

__declspec(dllexport) int32_t ucnv_toUCountPending(const UConverter *c, UErrorCode *error)
{
    (void)c;
    refuse(error);
    return 0;
}

__declspec(dllexport) int32_t ucnv_fromUCountPending(const UConverter *c, UErrorCode *error)
{
    (void)c;
    refuse(error);
    return 0;
}
