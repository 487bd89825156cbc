from docassemble_asylum.cli import main

main()
