; DanhGia — the Windows installer (Inno Setup 6.3 or newer).
;
; Build the bundle first (docs/building.md), then, from the repository root:
;   iscc packaging\windows\danhgia.iss
; The result is dist\DanhGia-<version>-cai-dat.exe. The version is read from the bundle's
; DanhGia.exe (its version resource, set by packaging\danhgia.spec from app\__init__.py).
;
; What it does: copies the one-folder bundle to Program Files (or, for a user without
; administrator rights, to their own programs folder), adds a Start menu shortcut and, if asked,
; a desktop shortcut, and registers an uninstaller (Settings → Apps). Every text is Vietnamese
; (Vietnamese.isl beside this file). The user's data folder, %LOCALAPPDATA%\DanhGia (database,
; backups, logs, settings), is never written by the installer nor removed by the uninstaller.
; A copy meant for a USB stick is not installed: unpack the bundle and put portable.txt beside
; DanhGia.exe (README).
; This file is UTF-8 with a BOM (Inno Setup reads it as Unicode).

#define AppName "DanhGia"
; ISPP resolves paths from the compiler's folder, so anchor them at this script's folder.
; `make package-windows` (built under Wine on Linux) passes its own: /DBundle=… /DOutput=….
#ifndef Bundle
  #define Bundle AddBackslash(SourcePath) + "..\..\dist\DanhGia"
#endif
#ifndef Output
  #define Output "..\..\dist"
#endif
#define AppExe "DanhGia.exe"
#ifndef AppVersion
  #define AppVersion GetStringFileInfo(Bundle + "\" + AppExe, "ProductVersion")
#endif
#if AppVersion == ""
  #error Build the bundle first (dist\DanhGia\DanhGia.exe with its version resource)
#endif

[Setup]
; The AppId identifies DanhGia to every later installer: never change it.
AppId={{FEFA1B23-ECC9-41C0-8A68-27F89AE322FE}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=DanhGia
AppCopyright=MIT License
VersionInfoVersion={#AppVersion}
VersionInfoDescription=Cài đặt DanhGia — kiểm điểm, đánh giá, xếp loại
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
; Installing for one user needs no administrator; an administrator may install for everyone.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#Output}
OutputBaseFilename={#AppName}-{#AppVersion}-cai-dat
SetupIconFile=..\..\resources\icons\danhgia.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} — Đánh giá, xếp loại
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
; Close a running DanhGia (Restart Manager) before replacing its files.
CloseApplications=yes
RestartApplications=no
ShowLanguageDialog=no

[Languages]
; Inno Setup has no official Vietnamese file: Vietnamese.isl is ours, laid over the English
; defaults so that a message added by a newer Inno Setup shows in English rather than failing.
Name: "vi"; MessagesFile: "compiler:Default.isl,Vietnamese.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the library folder whole, so no library of an older version stays behind.
; (This is the program's own folder; the user's data is elsewhere.)
Type: filesandordirs; Name: "{app}\_internal"

[Files]
; The whole bundle; never a portable marker or a data folder that a test run left in dist\.
Source: "{#Bundle}\*"; DestDir: "{app}"; Excludes: "portable.txt,DuLieu"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "{cm:AppComment}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "{cm:AppComment}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] section: the uninstaller removes only what this installer put in {app},
; and never %LOCALAPPDATA%\DanhGia.

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent() then
  begin
    DataDir := ExpandConstant('{localappdata}\DanhGia');
    if DirExists(DataDir) then
      MsgBox(FmtMessage(CustomMessage('DataKept'), [DataDir]), mbInformation, MB_OK);
  end;
end;
