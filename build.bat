@echo off
rem Builds dist\sovits-launch.exe: one file, made by PyInstaller from launcher.spec
rem in a fresh virtual environment (.venv-build). Double-click it, or run build.bat
rem in a terminal (build.bat --no-pause to skip the final pause).
rem Needs Python 3.9 to 3.13 for Windows and the internet (PyPI).
rem   To choose a Python:        set PYTHON=C:\path\to\python.exe
rem   To use a PyPI mirror:      set PIP_INDEX_URL=https://pypi.tuna.tsinghua.edu.cn/simple
rem This file must stay ASCII with CRLF line ends.
setlocal EnableExtensions DisableDelayedExpansion
cd /d "%~dp0"
if errorlevel 1 goto err_cd
if not exist "launcher.spec" goto err_tree

echo [1/5] Looking for Python ...
set "PYARGS="
if defined PYTHON goto have_python
set "PYTHON=py"
set "PYARGS=-3"
py -3 --version >nul 2>nul
if not errorlevel 1 goto have_python
set "PYTHON=python"
set "PYARGS="
python --version >nul 2>nul
if errorlevel 1 goto err_python
:have_python
"%PYTHON%" %PYARGS% --version
if errorlevel 1 goto err_python
"%PYTHON%" %PYARGS% -c "import sys; sys.exit(0 if sys.version_info[:2] >= (3, 9) else 1)"
if errorlevel 1 goto err_version
"%PYTHON%" %PYARGS% -c "import sys; sys.exit(0 if sys.version_info[:2] <= (3, 13) else 1)"
if errorlevel 1 echo Warning: this Python is newer than 3.13, which sovits-launch is not tested with.

echo [2/5] Creating a fresh virtual environment in .venv-build ...
if exist ".venv-build" rmdir /s /q ".venv-build"
if exist ".venv-build" goto err_clean
"%PYTHON%" %PYARGS% -m venv ".venv-build"
if errorlevel 1 goto err_venv
if not exist ".venv-build\Scripts\python.exe" goto err_venv

echo [3/5] Installing sovits-launch and PyInstaller into it ...
".venv-build\Scripts\python.exe" -m pip install --disable-pip-version-check --upgrade pip
if errorlevel 1 goto err_pip
".venv-build\Scripts\python.exe" -m pip install --disable-pip-version-check . "pyinstaller>=6"
if errorlevel 1 goto err_pip

echo [4/5] Building dist\sovits-launch.exe with PyInstaller ...
if exist "dist\sovits-launch.exe" del /f /q "dist\sovits-launch.exe"
if exist "dist\sovits-launch.exe" goto err_locked
".venv-build\Scripts\python.exe" -m PyInstaller --noconfirm --clean --distpath dist --workpath build\pyinstaller launcher.spec
if errorlevel 1 goto err_build
if not exist "dist\sovits-launch.exe" goto err_build

echo [5/5] Checking that the new exe starts ...
"dist\sovits-launch.exe" --help >nul
if errorlevel 1 goto err_run

echo.
echo Done: dist\sovits-launch.exe
echo Copy it into your GPT-SoVITS folder and run there: sovits-launch.exe bat --all
goto done

:err_cd
echo ERROR: cannot change to the folder of build.bat.
goto failed
:err_tree
echo ERROR: launcher.spec is missing. Run build.bat from the sovits-launch source folder.
goto failed
:err_python
echo ERROR: Python was not found.
echo Install Python 3.9 to 3.13 from https://www.python.org/ and tick "Add python.exe to PATH",
echo or set PYTHON to the full path of python.exe before running build.bat.
goto failed
:err_version
echo ERROR: this Python is older than 3.9. Install Python 3.9 to 3.13, or set PYTHON to one.
goto failed
:err_clean
echo ERROR: cannot delete the old .venv-build folder. Close programs using it and try again.
goto failed
:err_venv
echo ERROR: could not create the virtual environment .venv-build (python -m venv failed).
echo Some Python installs ship without venv; install Python from https://www.python.org/ instead.
goto failed
:err_pip
echo ERROR: pip could not install sovits-launch and PyInstaller (see the messages above).
echo Check the internet connection or proxy; a mirror may help:
echo   set PIP_INDEX_URL=https://pypi.tuna.tsinghua.edu.cn/simple
goto failed
:err_locked
echo ERROR: dist\sovits-launch.exe cannot be replaced. Is it still running? Close it and try again.
goto failed
:err_build
echo ERROR: PyInstaller failed to build dist\sovits-launch.exe (see the messages above).
goto failed
:err_run
echo ERROR: dist\sovits-launch.exe was built but does not start (sovits-launch.exe --help failed).
goto failed

:failed
echo.
echo Build failed.
if /i not "%~1"=="--no-pause" pause
exit /b 1

:done
if /i not "%~1"=="--no-pause" pause
exit /b 0
