"""Extraction word lists: common given names across cultures, by gender where it is settled."""

from __future__ import annotations

# Common given names across cultures, with gender where the name settles it.
MALE = """
James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel
Matthew Anthony Mark Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy
Ronald Edward Jason Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin
Scott Brandon Benjamin Ben Samuel Gregory Frank Alexander Raymond Patrick Jack Dennis Jerry
Tyler Aaron Jose Adam Henry Nathan Douglas Zachary Peter Kyle Walter Ethan Jeremy Harold
Keith Christian Roger Noah Gerald Carl Terry Sean Austin Arthur Lawrence Jesse Dylan Bryan
Joe Jordan Billy Bruce Albert Willie Gabriel Logan Alan Juan Wayne Roy Ralph Randy Eugene
Vincent Russell Elijah Louis Bobby Philip Johnny Boris Vladimir Sergei Sergey Dmitry Dmitri
Alexei Alexey Aleksandr Ivan Igor Mikhail Nikolai Oleg Yuri Viktor Volodymyr Vitali Petro
Andriy Oleksandr Mykola Emmanuel Francois Jean Pierre Jacques Michel Olaf Olaf Hans Klaus
Wolfgang Friedrich Heinrich Karl Helmut Giuseppe Giovanni Marco Luca Matteo Silvio Mario
Carlos Luis Miguel Pedro Jorge Antonio Manuel Francisco Javier Diego Alejandro Fernando
Rafael Ricardo Eduardo Sergio Pablo Andres Lula Jair Mohammed Muhammad Mohamed Ahmed Ahmad
Ali Hassan Hussein Omar Abdullah Abdul Khalid Mahmoud Mustafa Ibrahim Yusuf Tariq Imran
Recep Bashar Hamid Hamdullah Ashraf Rajiv Rahul Narendra Amit Arjun Vijay Sanjay Raj Ravi
Wei Li Zhang Xi Jinping Hu Jun Hiroshi Takeshi Kenji Shinzo Fumio Yoshihide Kim Park Moon
Jae Min Nelson Kofi Jomo Uhuru Olusegun Goodluck Muhammadu Cyril Jacob Thabo Desmond
Benjamin Benny Yair Naftali Ehud Ariel Shimon Yitzhak Moshe Avi David Emmanuel Justin
Malcolm Kevin Scott Anthony Tony Gordon Keir Rishi Nigel Nick Ed Jeremy Liz Theresa
Barack Joe Bill Hillary Mitch Chuck Ted Bernie Rudy Mike Lindsey Marco Rand Newt Jeb Al
Dick Colin Condoleezza Rex Kamala Nancy Ron Gavin Andrew Eric Pete Alexandria Lloyd Antony
Jens Mark Ursula Charles Olaf Sebastian Viktor Mateusz Andrzej Emil Lars Anders Magnus
Erik Henrik Bjorn Sven Nils Jan Pieter Willem Dirk Tom Tim Sam Dan Dave Steve Rob Bob Jim
Jon Matt Chris Josh Alex Max Leo Oscar Hugo Felix Simon Martin Luke Owen Lewis Liam Connor
Harry Charlie Oliver Jake Alfie Archie Freddie Edward Abdel Kareem Karim Youssef Jamal
Hamza Bilal Faisal Salman Mohammad Reza Hossein Ebrahim Hassan Javad Abbas Nasser Ayman
Rodrigo Gustavo Andres Hernan Mauricio Alvaro Enrique Emilio Ernesto Fidel Raul Hugo Evo
Kwame Kofi Kojo Chinedu Emeka Oluwaseun Tunde Ade Moses Paul Yoweri Paul Abiy Ismail
Vladislav Dmitri Yevgeny Evgeny Valery Anatoly Gennady Konstantin Ramzan Alexander Lavrov
Kirill Maxim Denis Roman Artem Andrei Andrey Pavel Stanislav Vasily Leonid Arseniy Vitaly
Aarav Aditya Adrian Ahmet Alberto Alec Alfred Andre Andy Angus Antoine Arnold Barry Bernard
Blake Brad Brendan Brett Bruno Caleb Calvin Cameron Chidi Clive Craig Curtis Dale Damian Damien
Dariusz Darren Derek Dominic Doug Duncan Eddie Edgar Eli Elias Elliot Finn Francis Fred Gareth
Geoff Geoffrey Gerard Glen Glenn Graham Greg Haruto Harvey Howard Hugh Ian Isaac Ishaan Jakub
Jared Jay Jeff Joel Johan Jonas Josef Juha Julian Jussi Ken Kieran Krzysztof Kurt Leon Lucas
Lukas Marcus Mateo Maurice Mehmet Mikko Mitchell Murray Neil Niall Noel Norman Pekka Phil
Phillip Piotr Rhys Rick Ricky Rodney Rohan Rory Ross Santiago Seth Shane Sipho Stanley Stuart
Tane Themba Timo Tobias Toby Todd Tomasz Trevor Troy Truman Vernon Vikram Ville Warren Zach Yuto
"""
FEMALE = """
Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Nancy Lisa Betty
Margaret Sandra Ashley Kimberly Emily Donna Michelle Dorothy Carol Amanda Melissa Deborah
Stephanie Rebecca Sharon Laura Cynthia Kathleen Amy Shirley Angela Helen Anna Brenda Pamela
Nicole Emma Samantha Katherine Christine Debra Rachel Catherine Carolyn Janet Ruth Maria
Heather Diane Virginia Julie Joyce Victoria Olivia Kelly Christina Lauren Joan Evelyn Judith
Megan Cheryl Andrea Hannah Martha Jacqueline Frances Gloria Ann Teresa Kathryn Sara Janice
Jean Alice Madison Doris Abigail Julia Judy Grace Denise Amber Marilyn Beverly Danielle
Theresa Sophia Marie Diana Brittany Natalie Isabella Charlotte Rose Alexis Kayla Bridget
Angela Ursula Theresa Hillary Kamala Nancy Condoleezza Madeleine Liz Nicola Priti Suella
Jacinda Julia Sanna Mette Kaja Annalena Marine Christine Giorgia Ana Carmen Isabel Lucia
Sofia Elena Irina Olga Tatiana Natalia Svetlana Yulia Maria Anastasia Ekaterina Lyudmila
Oksana Olena Iryna Yana Marta Ewa Agnieszka Katarzyna Ingrid Astrid Sigrid Greta Freya
Fatima Aisha Amina Leila Layla Zainab Mariam Maryam Noor Yasmin Malala Benazir Indira Sonia
Priya Anjali Sunita Aung Suu Yingluck Tsai Ing-wen Mei Ling Xiu Yuki Yoko Keiko Akiko Ji
Ngozi Chimamanda Winnie Ellen Wangari Joyce Graca Michaela Beyonce Oprah Serena Venus
Kate Katie Jane Jenny Jen Sally Lucy Molly Holly Sophie Chloe Ella Mia Amelia Ava Lily
Zoe Ruby Evie Poppy Millie Isla Freya Daisy Phoebe Florence Harriet Eleanor Alison Claire
Fiona Gillian Heidi Helga Inga Karin Linnea Maja Elin Lena Anke Petra Sabine Monika Eva
Hanna Rodaba Fatemeh Somaya Lidia Beatriz Gabriela Daniela Paula Valentina Camila Dilma
Cristina Michele Marina Veronica Silvia Francesca Chiara Giulia Federica Valeria Ines
Abena Aiko Aino Ama Ananya Anne Annie Aroha Ayse Beth Carla Carly Caroline Carrie Cecilia
Clara Colleen Deepika Elaine Elif Emine Fatma Felicity Gail Gina Guadalupe Hina Irene Jackie
Jasmine Jenna Jill Joanna Josie Kari Kavya Kirsty Kristen Lerato Lorna Louise Magdalena Marion
Melanie Monica Nadia Naomi Neha Nina Nomvula Penny Pilar Pooja Sakura Sheila Shirin Shreya
Stacey Sylvia Tracy Valerie Vanessa Wendy Ximena Yvonne Zanele Zeynep
"""

# Names that settle no gender: East Asian names (often the family name, written first)
# and English names given to both.
EITHER = """
Wei Li Zhang Xi Hu Jun Kim Park Moon Jae Min Ji Aung Suu Tsai Mei Ling Xiu Jean Alex Sam
Jordan Charlie Jamie Kerry Leslie Lindsay Robin Leigh Lee
"""
