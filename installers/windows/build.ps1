# Build the Windows installer (run in PowerShell from the repository root on a Windows build machine).
#   powershell -ExecutionPolicy Bypass -File installers\windows\build.ps1
# Needs: Python 3.11 x64 with the app's dependencies and PyInstaller (pip install -e ".[build]"),
# Inno Setup 6 (iscc.exe on PATH or in its default folder). See README.md for the steps.
$ErrorActionPreference = "Stop"
$root = Resolve-Path "$PSScriptRoot\..\.."
Set-Location $root
$version = (python -c "import gaisafe_desktop; print(gaisafe_desktop.__version__)").Trim()

Write-Host "1/4 frozen app (PyInstaller)"
$t0 = Get-Date
python -m PyInstaller --noconfirm --clean --log-level WARN --workpath build --distpath dist build.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }
Write-Host ("    built in {0:N0} s" -f ((Get-Date) - $t0).TotalSeconds)

Write-Host "2/4 self-test of the frozen app"
$env:QT_QPA_PLATFORM = "offscreen"
& dist\gaisafe\gaisafe.exe selftest
if ($LASTEXITCODE -ne 0) { throw "the frozen app's self-test failed" }

Write-Host "3/4 installer (Inno Setup)"
$iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $iscc) { $iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
& $iscc "/DAppVersion=$version" installers\windows\gaisafe.iss
if ($LASTEXITCODE -ne 0) { throw "iscc failed" }

Write-Host "4/4 checksums"
$setup = "dist\installer\GAISafe-Desktop-$version-setup.exe"
$hash = (Get-FileHash -Algorithm SHA256 $setup).Hash.ToLower()
"$hash  $(Split-Path -Leaf $setup)" | Out-File -Encoding ascii "$setup.sha256"
Write-Host "$setup`n$hash"
