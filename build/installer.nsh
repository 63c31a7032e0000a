; Included by electron-builder's NSIS installer (electron-builder.yml: nsis.include).
; A per-machine install keeps the ledger in %ProgramData%\YibaoPOS (main/app/data-dir.ts): every Windows
; user of the counter PC sells into the same ledger, so the Users group (S-1-5-32-545) may modify it.
; With the "all users" shell context (a per-machine install), $APPDATA is %ProgramData%.
; Nothing is removed on uninstall: the ledger may hold offline sales not yet sent.
!macro customInstall
  SetShellVarContext all
  CreateDirectory "$APPDATA\YibaoPOS"
  nsExec::ExecToLog 'icacls "$APPDATA\YibaoPOS" /grant *S-1-5-32-545:(OI)(CI)M /T'
!macroend
