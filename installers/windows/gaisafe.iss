; Inno Setup script: GAISafe Desktop for Windows (x64), from the PyInstaller folder dist\gaisafe.
; Build on Windows (see README.md beside this file):
;   iscc /DAppVersion=0.1.0 installers\windows\gaisafe.iss
; Output: dist\installer\GAISafe-Desktop-<version>-setup.exe (then build.ps1 writes its .sha256).

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "GAISafe Desktop"
#define AppExe "gaisafe-desktop.exe"
#define SrcDir "..\..\dist\gaisafe"

[Setup]
AppId={{6C1E5B0E-2F3A-4C83-9C84-6D1B3E0A7F21}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=GAISafe Desktop maintainers
DefaultDirName={autopf}\GAISafe Desktop
DefaultGroupName=GAISafe Desktop
DisableProgramGroupPage=yes
; per-machine by default; IT may pass /CURRENTUSER for a per-user install without admin rights
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=commandline dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0.17763
OutputDir=..\..\dist\installer
OutputBaseFilename=GAISafe-Desktop-{#AppVersion}-setup
SetupIconFile=..\..\build\icons\gaisafe.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ChangesAssociations=yes
; nothing is downloaded during setup: everything is in this one file
LicenseFile=..\..\installers\windows\LICENSE.txt
ShowLanguageDialog=auto

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "zh"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"
Name: "addtopath"; Description: "Add the gaisafe command-line tool to PATH"; Flags: unchecked

[Files]
Source: "{#SrcDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
; the self-test in a console window that stays open, so the result can be read (also in %APPDATA%\GAISafe\logs)
Name: "{group}\{#AppName} self-test"; Filename: "{cmd}"; Parameters: "/k ""{app}\gaisafe.exe"" selftest"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; *.gaisafe project files open with the app
Root: HKA; Subkey: "Software\Classes\.gaisafe"; ValueType: string; ValueName: ""; ValueData: "GAISafe.Project"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\GAISafe.Project"; ValueType: string; ValueName: ""; ValueData: "GAISafe audit project"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\GAISafe.Project\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\GAISafe.Project\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Environment"; ValueType: expandsz; ValueName: "Path"; ValueData: "{olddata};{app}"; Tasks: addtopath; Check: NeedsAddPath(ExpandConstant('{app}'))

[Run]
; check the installation before first use (windowed: the result is in %APPDATA%\GAISafe\logs\selftest-*.json)
Filename: "{app}\gaisafe.exe"; Parameters: "selftest --only bundle --only models --only resources"; StatusMsg: "Checking the installation..."; Flags: runhidden waituntilterminated
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; only what the app itself wrote inside its folder; projects, keys and logs in the user's folders are kept
Type: filesandordirs; Name: "{app}\_internal\__pycache__"

[Code]
function NeedsAddPath(Param: string): boolean;
var
  OrigPath: string;
begin
  if not RegQueryStringValue(HKA, 'Environment', 'Path', OrigPath) then
  begin
    Result := True;
    exit;
  end;
  Result := Pos(';' + Uppercase(Param) + ';', ';' + Uppercase(OrigPath) + ';') = 0;
end;
