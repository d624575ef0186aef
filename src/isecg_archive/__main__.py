from isecg_archive.cli import main

main()
